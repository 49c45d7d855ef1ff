package clf.server;

import clf.server.internal.Daemon;
import clf.server.internal.RuntimeCheck;
import clf.server.internal.Version;
import clf.server.internal.config.ConfigException;
import clf.server.internal.config.OrchestratorConfig;
import clf.server.internal.dev.DevMode;
import clf.secrets.SecretSource;
import clf.server.internal.log.Log;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
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
            "Usage: clf-orchestrator [-hV] [--metrics-listen ADDR:PORT] [--dev [--state-dir DIR] [--socket PATH]]",
            "                        [--check-runtime DIR]",
            "The clf control plane daemon. Without options it runs, configured by CLF_* environment",
            "variables (see clf-orchestrator(8)), until SIGTERM or SIGINT.",
            "      --dev                Run everything on this machine without a Hetzner account:",
            "                           a simulated Hetzner, dummy keys, a sample identity rex;",
            "                           state, socket and identities in DIR (default ./.clf-dev).",
            "      --socket PATH        With --dev: bind the bot socket at PATH instead of in DIR",
            "                           (a directory bots can enter; CLF_SOCKET_GROUP: its group).",
            "      --metrics-listen ADDR:PORT",
            "                           Also serve GET /metrics (and nothing else) over TCP on a",
            "                           loopback address, e.g. 127.0.0.1:9464 (CLF_METRICS_LISTEN).",
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
            return serve(out, err, env, null);
        }
        if (args[0].equals("--metrics-listen") || args[0].startsWith("--metrics-listen=")) {
            // The variable's command-line spelling; the rest of the line is read as without it.
            boolean joined = args[0].contains("=");
            if (joined || args.length >= 2) {
                Map<String, String> withMetrics = new HashMap<>(env);
                withMetrics.put("CLF_METRICS_LISTEN", joined ? args[0].substring(args[0].indexOf('=') + 1) : args[1]);
                return run(out, err, withMetrics, java.util.Arrays.copyOfRange(args, joined ? 1 : 2, args.length));
            }
        }
        if (args[0].equals("--dev")) {
            Map<String, String> devOptions = devOptions(args);
            if (devOptions != null) {
                Map<String, String> devEnv = new HashMap<>(env);
                if (devOptions.containsKey("--socket")) {
                    // The user's choice of where bots connect; CLF_SOCKET_GROUP then names who may.
                    devEnv.put("CLF_SOCKET_PATH", Path.of(devOptions.get("--socket")).toAbsolutePath().toString());
                }
                return serve(out, err, devEnv, Path.of(devOptions.getOrDefault("--state-dir", ".clf-dev")));
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
     * The options after {@code --dev}: {@code --state-dir DIR} and {@code --socket PATH}, each at
     * most once, as two words or {@code --name=value}; null for anything else.
     */
    static Map<String, String> devOptions(String... args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String name = args[i];
            String value;
            int eq = name.indexOf('=');
            if (eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                return null;
            }
            if (!(name.equals("--state-dir") || name.equals("--socket")) || value.isBlank()
                    || options.put(name, value) != null) {
                return null;
            }
        }
        return options;
    }

    /**
     * Runs the daemon until SIGTERM/SIGINT, then stops it in order and returns 0. A start that
     * fails returns 1 after closing whatever had started. The log and dev mode's {@code export}
     * line go to {@code out}; one clock serves the whole daemon.
     */
    private static int serve(PrintStream out, PrintStream err, Map<String, String> realEnv, Path devStateDir) {
        Clock clock = Clock.systemUTC();
        Log log;
        try {
            log = Log.fromEnv(out, clock, realEnv);
        } catch (IllegalArgumentException e) {
            err.println("clf-orchestrator: " + e.getMessage());
            return FAILED;
        }
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
            daemon = Daemon.launch(config, env, SecretSource.fromEnvironment(env), log, clock);
        } catch (Exception e) {
            return startFailed(e, log, err, dev);
        }
        // The bot socket answers now; the cattle side starts behind it. Ready once it has; a
        // cattle start that fails (say, a server type Hetzner does not sell) stops the daemon.
        AtomicReference<Throwable> failed = new AtomicReference<>();
        PrintStream devOut = dev == null ? null : out;
        Path devSocket = dev == null ? null : dev.socketPath();
        daemon.started().whenComplete((ok, error) -> {
            if (error != null) {
                failed.set(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
                stop.countDown();
                return;
            }
            log.info("clf-orchestrator.ready", "version", version());
            if (devOut != null) {
                devOut.println("export CLF_SOCKET_PATH=" + devSocket);
                devOut.flush();
            }
        });
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Throwable failure = failed.get();
        if (failure != null) {
            log.error("clf-orchestrator.start-failed", "error", failure.getMessage());
            err.println("clf-orchestrator: " + failure.getMessage());
            daemon.close();
            closeQuietly(dev);
            return FAILED;
        }
        daemon.close();
        closeQuietly(dev);
        return OK;
    }

    private static int startFailed(Exception e, Log log, PrintStream err, DevMode dev) {
        log.error("clf-orchestrator.start-failed", "error", e.getMessage());
        err.println("clf-orchestrator: " + e.getMessage());
        closeQuietly(dev);
        return FAILED;
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
