package clf.server.internal.dev;

import clf.server.internal.Daemon;
import clf.server.internal.config.OrchestratorConfig;
import clf.server.internal.log.Log;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test's real daemon in dev mode (the simulator, the real socket), its state in a temp dir and
 * its log captured; closed after each test, daemon first.
 */
public abstract class DevDaemonFixture {
    @TempDir
    protected Path dir;
    protected final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    protected final Log log = new Log(new PrintStream(logged, true, StandardCharsets.UTF_8), Clock.systemUTC());
    protected DevMode dev;
    protected Daemon daemon;
    protected Path socket;
    /** The daemon's clock; a test may set another before starting it. */
    protected Clock clock = Clock.systemUTC();

    /** Dev mode with VMs booting in 100 ms and a 200 ms shutdown grace, {@code extra} on top, then its daemon. */
    protected void start(Map<String, String> extra) throws IOException {
        Map<String, String> env = new HashMap<>(Map.of("CLF_DEV_BOOT_DELAY_MS", "100", "CLF_SHUTDOWN_GRACE_MS", "200"));
        env.putAll(extra);
        startDev(env);
        startDaemon(OrchestratorConfig.fromEnv(dev.env()));
    }

    /** Dev mode alone, for a test that looks at its simulator before the daemon starts. */
    protected void startDev(Map<String, String> env) throws IOException {
        dev = DevMode.start(dir.resolve("dev"), env, log);
    }

    protected void startDaemon(OrchestratorConfig config) throws IOException {
        daemon = Daemon.start(config, dev.env(), log, clock);
        socket = dev.socketPath();
    }

    @AfterEach
    void closeDaemon() {
        if (daemon != null) {
            daemon.close();
        }
        if (dev != null) {
            dev.close();
        }
    }
}
