package clf.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.PrintWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The v1 argument rewrites: {@code --} dropped, camelCase flags read as their kebab-case names. */
class ArgvTest {
    private final CommandLine clf = Main.commandLine(Context.system(), new PrintWriter(System.out), new PrintWriter(System.err));

    private String[] normalize(String... args) {
        return Argv.normalize(clf, args);
    }

    @Test
    void everyDoubleDashIsDropped() {
        assertArrayEquals(new String[] {"jobs", "list", "--json"}, normalize("--", "jobs", "--", "list", "--", "--json"));
    }

    @Test
    void camelCaseFlagsBecomeKebabCaseWithOrWithoutAValue() {
        assertArrayEquals(new String[] {"--idempotency-key", "k", "--task-file=t.json", "--job-id", "--dry-run"},
                normalize("--idempotencyKey", "k", "--taskFile=t.json", "--jobId", "--dryRun"));
    }

    @Test
    void negatedFlagsHaveACamelCaseFormToo() {
        assertArrayEquals(new String[] {"--no-auto-shutdown", "--auto-shutdown"},
                normalize("--noAutoShutdown", "--autoShutdown"));
    }

    @Test
    void unknownFlagsAndValuesAreLeftAlone() {
        assertArrayEquals(new String[] {"--fooBar", "--message", "x", "Hello", "-V", "--taskFile-x=aB"},
                normalize("--fooBar", "--message", "x", "Hello", "-V", "--taskFile-x=aB"));
    }
}
