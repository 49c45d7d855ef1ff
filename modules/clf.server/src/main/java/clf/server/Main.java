package clf.server;

import clf.server.internal.Daemon;
import clf.server.internal.Log;
import clf.server.internal.RuntimeCheck;
import clf.server.internal.Version;
import clf.server.internal.config.ConfigException;
import clf.server.internal.config.OrchestratorConfig;
import clf.server.internal.dev.DevMode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * Entry point of {@code clf-orchestrator}. Exit codes: 0 ok, 1 usage error or failed check.
 * {@link #main} always ends in System.exit: XNIO's threads are non-daemon, so a JVM that
 * merely returned from main could linger after a failure.
 */
public final class Main {

    public static final int OK = 0;
    public static final int FAILED = 1;

    private static final String USAGE = String.join("\n",
            "Usage: clf-orchestrator [-hV] [--dev [--state-dir DIR]] [--check-runtime DIR]",
            "The clf control plane daemon. Without options it runs, configured by CLF_* environment",
            "variables (see clf-orchestrator(8)), until SIGTERM or SIGINT.",
            "      --dev                Run everything on this machine without a Hetzner account:",
            "                           a simulated Hetzner, dummy keys, a sample identity rex;",
            "                           state, socket and identities in DIR (default ./.clf-dev).",
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
        return run(out, err, System.getenv(), args);
    }

    /** As {@link #run(PrintStream, PrintStream, String...)} with the given environment. */
    public static int run(PrintStream out, PrintStream err, Map<String, String> env, String... args) {
        if (args.length == 0) {
            return serve(err, env, null);
        }
        if (args[0].equals("--dev")) {
            if (args.length == 1) {
                return serve(err, env, Path.of(".clf-dev"));
            }
            if (args.length == 3 && args[1].equals("--state-dir")) {
                return serve(err, env, Path.of(args[2]));
            }
        }
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
            return run(out, err, env, "--check-runtime", args[0].substring("--check-runtime=".length()));
        }
        err.println("Invalid arguments: " + String.join(" ", args));
        err.println(USAGE);
        return FAILED;
    }

    /**
     * Runs the daemon until SIGTERM/SIGINT, then stops it in order and returns 0. A start that
     * fails returns 1 after closing whatever had started.
     */
    private static int serve(PrintStream err, Map<String, String> realEnv, Path devStateDir) {
        Log log = Log.stdout();
        DevMode dev = null;
        Map<String, String> env = realEnv;
        if (devStateDir != null) {
            try {
                dev = DevMode.start(devStateDir, realEnv, log);
            } catch (IOException | RuntimeException e) {
                err.println("clf-orchestrator: dev mode: " + e.getMessage());
                return FAILED;
            }
            env = dev.env();
        }
        OrchestratorConfig config;
        try {
            config = OrchestratorConfig.fromEnv(env);
        } catch (ConfigException e) {
            err.println("clf-orchestrator: " + e.getMessage());
            closeQuietly(dev);
            return FAILED;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        Daemon daemon;
        try {
            daemon = Daemon.start(config, env, log);
        } catch (Exception e) {
            log.error("clf-orchestrator.start-failed", "error", e.getMessage());
            err.println("clf-orchestrator: " + e.getMessage());
            closeQuietly(dev);
            return FAILED;
        }
        log.info("clf-orchestrator.ready", "version", version());
        if (dev != null) {
            System.out.println("export CLF_SOCKET_PATH=" + dev.socketPath());
            System.out.flush();
        }
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        daemon.close();
        closeQuietly(dev);
        return OK;
    }

    private static void closeQuietly(DevMode dev) {
        if (dev != null) {
            dev.close();
        }
    }

    static String version() {
        return "clf-orchestrator " + Version.of(Main.class);
    }
}
