package clf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import clf.testing.CapturedText;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** A run builds only the commands its arguments name, and answers as the whole tree would. */
class CommandsTest {
    private static final Context NO_DAEMON = new Context(Map.of("CLF_SOCKET_PATH", "/nonexistent/clf.sock"),
            new CliRun.FakeTicker());

    @Test
    void eachCommandIsAddedUnderItsOwnNameInTheOrderHelpListsThem() {
        CommandLine whole = Main.root(Context.system());
        Commands.addAll(whole);
        assertEquals(List.of("clf", "clf jobs", "clf jobs enqueue", "clf jobs list", "clf jobs show",
                "clf jobs cancel", "clf jobs events", "clf jobs wait", "clf status", "clf shell"), names(whole));
    }

    @Test
    void aRunBuildsTheCommandsItsArgumentsName() {
        assertEquals(List.of("clf", "clf jobs", "clf jobs show"), built("jobs", "show", "--json", "abc"));
        assertEquals(List.of("clf", "clf jobs", "clf jobs show"), built("--", "jobs", "--", "show"));
        assertEquals(List.of("clf", "clf status"), built("status"));
    }

    @Test
    void belowTheLastNamedCommandItBuildsThemAll() {
        assertEquals(List.of("clf", "clf jobs", "clf jobs enqueue", "clf jobs list", "clf jobs show",
                "clf jobs cancel", "clf jobs events", "clf jobs wait"), built("jobs", "--help"));
        assertEquals(10, built("--help", "jobs").size());
        assertEquals(10, built("jbos", "show").size());
        assertEquals(10, built().size());
    }

    /** Help, usage errors and suggestions come out as the whole tree printed them. */
    @ParameterizedTest
    @ValueSource(strings = {"", "--help", "--help jobs", "jobs", "jobs --help", "jobs show --help", "jobs shwo",
        "jbos", "status --help", "jobs enqueue", "jobs show --jsn x", "jobs list --limit x", "-- jobs -- list --help",
        "jobs enqueue cattle.reap --jobId x", "jobs show --jobId"})
    void answersAsTheWholeTreeDoes(String line) {
        String[] args = line.isEmpty() ? new String[0] : line.split(" ");
        CapturedText out = new CapturedText();
        CapturedText err = new CapturedText();
        int code = Main.run(out.stream(), err.stream(), NO_DAEMON, args);

        CapturedText wholeOut = new CapturedText();
        CapturedText wholeErr = new CapturedText();
        int wholeCode = Main.execute(Main.commandLine(NO_DAEMON, new PrintWriter(wholeOut.stream(), true),
                new PrintWriter(wholeErr.stream(), true)), args);

        assertEquals(wholeCode, code, line);
        assertEquals(wholeOut.text(), out.text(), line);
        assertEquals(wholeErr.text(), err.text(), line);
    }

    private static List<String> built(String... args) {
        CommandLine root = Main.root(Context.system());
        Commands.addNamed(root, args);
        return names(root);
    }

    private static List<String> names(CommandLine command) {
        List<String> names = new ArrayList<>();
        collect(command, names);
        return names;
    }

    private static void collect(CommandLine command, List<String> names) {
        names.add(command.getCommandSpec().qualifiedName());
        for (Map.Entry<String, CommandLine> sub : command.getSubcommands().entrySet()) {
            assertEquals(sub.getKey(), sub.getValue().getCommandName(), "the name Commands adds it under");
            collect(sub.getValue(), names);
        }
    }
}
