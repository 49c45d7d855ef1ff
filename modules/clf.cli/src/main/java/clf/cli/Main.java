package clf.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Entry point of the {@code clf} command. Exit codes: 0 ok, 1 usage error. Subcommands
 * (e.g. {@code jobs}) are added to the root command as they arrive.
 */
@Command(
        name = "clf",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        exitCodeOnInvalidInput = Main.USAGE,
        description = "Ephemeral cloud VMs for chat bots, without cloud credentials.")
public final class Main implements Callable<Integer> {

    public static final int OK = 0;
    public static final int USAGE = 1;

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs the command line against the given streams and returns the exit code. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        CommandLine cmd = new CommandLine(new Main());
        cmd.setOut(writer(out));
        cmd.setErr(writer(err));
        int code = cmd.execute(args);
        cmd.getOut().flush();
        cmd.getErr().flush();
        return code;
    }

    /** Without a subcommand there is nothing to do: show how to use clf, as a usage error. */
    @Override
    public Integer call() {
        CommandLine cmd = spec.commandLine();
        cmd.getErr().println("Missing command.");
        cmd.usage(cmd.getErr());
        return USAGE;
    }

    static String version() {
        return "clf " + ModuleVersion.of(Main.class);
    }

    private static PrintWriter writer(PrintStream stream) {
        return new PrintWriter(stream, true);
    }

    /** picocli instantiates this reflectively for --version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {version()};
        }
    }
}
