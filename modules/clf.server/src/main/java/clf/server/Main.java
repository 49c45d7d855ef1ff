package clf.server;

import clf.server.internal.RuntimeCheck;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Entry point of {@code clf-orchestrator}. Exit codes: 0 ok, 1 usage error or failed check.
 * {@link #main} always ends in System.exit: XNIO's threads are non-daemon, so a JVM that
 * merely returned from main could linger after a failure.
 */
public final class Main {

    public static final int OK = 0;
    public static final int FAILED = 1;

    private static final String USAGE = String.join("\n",
            "Usage: clf-orchestrator [-hV] [--check-runtime DIR]",
            "The clf control plane daemon.",
            "      --check-runtime DIR  Prove this install works on this host: SQLite, Unix",
            "                           sockets, HTTP and JSON, using scratch files under",
            "                           DIR/check (removed afterwards).",
            "  -h, --help               Show this help message and exit.",
            "  -V, --version            Print version information and exit.");

    private Main() {}

    public static void main(String[] args) {
        int code;
        try {
            code = run(System.out, System.err, args);
        } catch (Throwable t) {
            t.printStackTrace();
            code = FAILED;
        }
        System.exit(code);
    }

    /** Runs the command line against the given streams and returns the exit code. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            out.println(version());
            return OK;
        }
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.println(USAGE);
            return OK;
        }
        if (args.length == 2 && args[0].equals("--check-runtime")) {
            return RuntimeCheck.run(Path.of(args[1]), out, err) ? OK : FAILED;
        }
        if (args.length == 1 && args[0].startsWith("--check-runtime=")) {
            return run(out, err, "--check-runtime", args[0].substring("--check-runtime=".length()));
        }
        err.println(args.length == 0 ? "Missing option." : "Invalid arguments: " + String.join(" ", args));
        err.println(USAGE);
        return FAILED;
    }

    static String version() {
        Module module = Main.class.getModule();
        // On the class path (unit tests) there is no descriptor to take the version from.
        String version = module.getDescriptor() == null
                ? "unknown"
                : module.getDescriptor().rawVersion().orElse("unknown");
        return "clf-orchestrator " + version;
    }
}
