package clf.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/** Entry point of the {@code clf} command; the exit codes are listed in {@code clf --help}. */
public final class Main implements Callable<Integer> {

    public static final int OK = 0;
    public static final int USAGE = 1;
    public static final int REFUSED = 2;
    public static final int UNREACHABLE = 3;
    public static final int NOT_DONE = 4;
    public static final int UNSUPPORTED = 5;

    private static final String CONVERTERS_EXCLUDED = "picocli.converters.excludes";

    private final Context context;
    private final CommandSpec spec;

    Main(Context context) {
        this.context = context;
        spec = CommandSpecs.command(this, "clf");
        spec.versionProvider(new Version());
        spec.exitCodeOnInvalidInput(USAGE);
        spec.usageMessage()
                .description("Ephemeral cloud VMs for chat bots, without cloud credentials.")
                .exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(UsageMessageSpec.keyValuesMap(
                        "0:ok",
                        "1:usage error: unknown command or option, missing or malformed argument",
                        "2:the request was refused or failed: invalid input, unknown job, job not cancelable,"
                                + " orchestrator error, timeout, bad response; status: a health check failed",
                        "3:the orchestrator cannot be reached: no socket, connection refused, permission denied",
                        "4:jobs wait: the job ended other than done (with --task: the task exited non-zero),"
                                + " or the wait timed out",
                        "5:the orchestrator does not support this command (an older version, e.g. jobs events or"
                                + " status)"));
        CommandSpecs.withStandardHelp(spec);
    }

    public static void main(String[] args) {
        if (args.length > 0 && !isVersion(args)) {
            Warmup.start();
        }
        System.exit(run(System.out, System.err, args));
    }

    /** Runs the command line against the given streams and returns the exit code. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        return run(out, err, Context.system(), args);
    }

    static int run(PrintStream out, PrintStream err, Context context, String... args) {
        if (isVersion(args)) {
            // What picocli would print, without building the command tree first.
            out.println(version());
            out.flush();
            return OK;
        }
        CommandLine cmd = root(context);
        if (Argv.rewritesCamelCase(args)) {
            // Which camelCase flags are rewritten depends on every option of clf.
            Commands.addAll(cmd);
        } else {
            Commands.addNamed(cmd, args);
        }
        return execute(configured(cmd, writer(out), writer(err)), args);
    }

    private static boolean isVersion(String... args) {
        return args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"));
    }

    /** The whole command tree with clf's output streams and its one error-to-exit-code mapping. */
    static CommandLine commandLine(Context context, PrintWriter out, PrintWriter err) {
        CommandLine cmd = root(context);
        Commands.addAll(cmd);
        return configured(cmd, out, err);
    }

    /**
     * The root command, without subcommands. clf's options are strings, numbers and booleans (it
     * parses durations and times itself), so picocli is told not to register its converters for
     * java.time, java.sql and java.nio.file types: it looks each class up initializing it, and
     * initializing java.time was a tenth of a {@code clf jobs show} process.
     */
    static CommandLine root(Context context) {
        if (System.getProperty(CONVERTERS_EXCLUDED) == null) {
            System.setProperty(CONVERTERS_EXCLUDED, "java\\..*");
        }
        return new CommandLine(new Main(context).spec);
    }

    /** Sets the streams and handlers on {@code cmd} and the subcommands it has by now. */
    private static CommandLine configured(CommandLine cmd, PrintWriter out, PrintWriter err) {
        cmd.setOut(out);
        cmd.setErr(err);
        ErrorHandler errors = new ErrorHandler();
        cmd.setExecutionExceptionHandler(errors);
        cmd.setParameterExceptionHandler(errors);
        return cmd;
    }

    /** Runs one command line on {@code cmd} (also each line of {@code clf shell}); returns the exit code. */
    static int execute(CommandLine cmd, String... args) {
        int code = cmd.execute(Argv.normalize(cmd, args));
        cmd.getOut().flush();
        cmd.getErr().flush();
        return code;
    }

    Context context() {
        return context;
    }

    /** Without a subcommand there is nothing to do: show how to use clf, as a usage error. */
    @Override
    public Integer call() {
        return missingCommand(spec);
    }

    /** Prints usage to stderr for a command that needs a subcommand; returns {@link #USAGE}. */
    static int missingCommand(CommandSpec spec) {
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

    /** What picocli prints for {@code --version} (given {@code --version} and more arguments). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {version()};
        }
    }
}
