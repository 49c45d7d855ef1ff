package clf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import clf.testing.HostTool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed completion scripts, loaded by their real shells, offer the right words. Each
 * shell's test is skipped where the shell is not installed (Debian: bash-completion, zsh, fish),
 * and fails under {@code CI=true}.
 */
class CompletionShellsTest {
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(30);

    /** A line being typed, and what TAB must offer (sorted). */
    record Case(String line, List<String> expected) {
        static Case of(String line, String... expected) {
            return new Case(line, Arrays.stream(expected).sorted().toList());
        }
    }

    private static final List<Case> CASES = List.of(
            Case.of("clf jo", "jobs"),
            Case.of("clf jobs ", "cancel", "enqueue", "events", "list", "show", "wait"),
            Case.of("clf jobs enqueue ", "cattle.reap", "cattle.spawn"),
            Case.of("clf jobs enqueue --kind ", "cattle.reap", "cattle.spawn"),
            Case.of("clf jobs list --status ", "canceled", "done", "failed", "queued", "running"),
            Case.of("clf jobs list --st", "--status"),
            Case.of("clf jobs wait --t", "--task", "--timeout"));

    private static final Path COMPLETIONS = GeneratedDocsTest.REPOSITORY.resolve("completions");

    @TempDir
    Path dir;

    @Test
    void bashOffersCommandsOptionsKindsAndStatuses() throws Exception {
        HostTool.require(HostTool.onPath("bash"), "bash");
        Path bashCompletion = Path.of("/usr/share/bash-completion/bash_completion");
        HostTool.require(Files.isRegularFile(bashCompletion), "bash-completion (Debian package bash-completion)");
        for (Case c : CASES) {
            // COMP_WORDS as bash splits the line; a trailing space starts an empty word.
            String script = "source " + bashCompletion + "\nsource " + COMPLETIONS.resolve("clf.bash") + "\n"
                    + "COMP_LINE='" + c.line() + "'; COMP_POINT=${#COMP_LINE}\n"
                    + "read -ra COMP_WORDS <<< \"$COMP_LINE\"; [[ $COMP_LINE == *' ' ]] && COMP_WORDS+=('')\n"
                    + "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
                    + "_complete_clf clf \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\" 2>/dev/null\n"
                    + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
            assertOffers("bash", c, HostTool.run(Map.of(), RUN_TIMEOUT,
                    List.of("bash", "--norc", "--noprofile", "-c", script)));
        }
    }

    @Test
    void fishOffersCommandsOptionsKindsAndStatuses() throws Exception {
        HostTool.require(HostTool.onPath("fish"), "fish");
        for (Case c : CASES) {
            String script = "source " + COMPLETIONS.resolve("clf.fish") + "\n"
                    + "complete -C'" + c.line() + "' | string replace -r '\\t.*' ''\n";
            assertOffers("fish", c, HostTool.run(Map.of("HOME", dir.toString(), "XDG_CONFIG_HOME", dir.toString()), RUN_TIMEOUT,
                    List.of("fish", "--no-config", "-c", script)));
        }
    }

    /** zsh through a real compsys session in a pseudo-terminal (zsh-capture.zsh, with zsh/zpty). */
    @Test
    void zshOffersCommandsOptionsKindsAndStatuses() throws Exception {
        HostTool.require(HostTool.onPath("zsh"), "zsh");
        Path capture = dir.resolve("zsh-capture.zsh");
        try (InputStream in = getClass().getResourceAsStream("zsh-capture.zsh")) {
            Files.write(capture, in.readAllBytes());
        }
        List<Case> cases = new java.util.ArrayList<>(CASES);
        cases.add(Case.of("clf jobs list --status=done,", "canceled", "failed", "queued", "running"));
        for (Case c : cases) {
            assertOffers("zsh", c, HostTool.run(Map.of("HOME", dir.toString(), "ZDOTDIR", dir.toString()), RUN_TIMEOUT,
                    List.of("zsh", "-f", capture.toString(), COMPLETIONS.toString(), c.line())));
        }
    }

    private static void assertOffers(String shell, Case c, HostTool.Result result) throws IOException {
        List<String> offered = result.out().lines().filter(line -> !line.isBlank()).sorted().distinct().toList();
        assertEquals(c.expected(), offered, shell + ": '" + c.line() + "<TAB>'\n" + result);
    }
}
