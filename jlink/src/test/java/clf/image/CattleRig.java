package clf.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import clf.hetzner.sim.HetznerSimulator;
import clf.hetzner.sim.SimServer;
import clf.testing.RawHttp;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The production daemon ({@code bin/clf-orchestrator} without {@code --dev}) with cattle on,
 * talking to a Hetzner simulator in the test JVM; the cattle listener binds 127.0.0.1 on a free
 * port. The test plays the VM: it reads the bootstrap token from the user_data the simulator
 * received and calls the listener itself.
 */
final class CattleRig implements AutoCloseable {
    static final String BOOTSTRAP_PATH = "/run/clawdlets/cattle/bootstrap.json";
    /** Secret variables the build's environment must not lend the daemon: blank means unset. */
    static final List<String> SECRET_NAMES = List.of("HCLOUD_TOKEN", "TAILSCALE_AUTH_KEY", "CLF_TAILSCALE_AUTH_KEY",
            "TAILSCALE_OAUTH_CLIENT_ID", "TAILSCALE_OAUTH_CLIENT_SECRET",
            "OPENAI_API_KEY", "OPEN_AI_APIKEY", "ANTHROPIC_API_KEY", "ZAI_API_KEY", "Z_AI_API_KEY", "GITHUB_TOKEN",
            "CREDENTIALS_DIRECTORY");
    private static final Pattern PORT = Pattern.compile("cattle-api\\.listening port=(\\d+)");

    final HetznerSimulator simulator;
    private final Map<String, String> env;
    private final List<String> commandPrefix;
    DaemonProcess daemon;
    Cli clf;
    int port;

    private CattleRig(HetznerSimulator simulator, Map<String, String> env, List<String> commandPrefix) {
        this.simulator = simulator;
        this.env = env;
        this.commandPrefix = commandPrefix;
    }

    /** Writes identity {@code name} with {@code config} as its config.json under {@code dir/identities}. */
    static Path identity(Path dir, String name, String config) throws IOException {
        Path identity = Files.createDirectories(dir.resolve("identities").resolve(name));
        Files.writeString(identity.resolve("SOUL.md"), "# " + name + "\nCareful.\n");
        Files.writeString(identity.resolve("config.json"), config);
        return identity;
    }

    /**
     * The environment of a cattle daemon on {@code dir} using the Hetzner API at {@code hcloud},
     * with the sample identity rex; {@code extra} (secrets, other settings) is added last.
     * Peer verification is off: the test plays the VM from 127.0.0.1, which no tailscaled
     * knows (PeerVerificationIT turns it on with a LocalAPI double).
     */
    static Map<String, String> env(Path dir, String hcloud, Map<String, String> extra) throws IOException {
        identity(dir, "rex", "{\"schemaVersion\": 1, \"model\": {\"primary\": \"openai/gpt-4o\"}}\n");
        Map<String, String> env = DaemonProcess.env(dir);
        SECRET_NAMES.forEach(name -> env.put(name, ""));
        env.put("CLF_CATTLE_ENABLED", "1");
        env.put("CLF_HCLOUD_API_URL", hcloud);
        env.put("CLF_CATTLE_IMAGE", String.valueOf(HetznerSimulator.DEV_SNAPSHOT_ID));
        env.put("CLF_ADMIN_AUTHORIZED_KEYS", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAtest admin@test");
        env.put("CLF_IDENTITIES_ROOT", dir.resolve("identities").toString());
        env.put("CLF_CATTLE_SECRETS_LISTEN_HOST", "127.0.0.1");
        env.put("CLF_CATTLE_SECRETS_LISTEN_PORT", "0");
        env.put("CLF_WORKER_POLL_MS", "50");
        env.put("CLF_CATTLE_STATUS_POLL_MS", "50");
        env.put("CLF_CATTLE_VERIFY_PEER", "off");
        env.putAll(extra);
        return env;
    }

    /**
     * Starts a cattle daemon on {@code dir} ({@link #env}) against a new simulator; {@code extra}
     * is added (HCLOUD_TOKEN is also given to the simulator, which then requires it).
     */
    static CattleRig start(Path dir, String hcloudToken, Map<String, String> extra) throws Exception {
        return start(dir, hcloudToken, extra, List.of());
    }

    /** As {@link #start(Path, String, Map)}, the launcher run by {@code commandPrefix} (e.g. nsenter …). */
    static CattleRig start(Path dir, String hcloudToken, Map<String, String> extra, List<String> commandPrefix)
            throws Exception {
        HetznerSimulator simulator = HetznerSimulator.start();
        try {
            simulator.requireToken(hcloudToken);
            simulator.setBootDelay(Duration.ofMillis(300));
            CattleRig rig = new CattleRig(simulator, env(dir, simulator.baseUrl().toString(), extra), commandPrefix);
            rig.startDaemon();
            return rig;
        } catch (Exception | AssertionError e) {
            simulator.close();
            throw e;
        }
    }

    private void startDaemon() throws Exception {
        List<String> command = new ArrayList<>(commandPrefix);
        command.add(Image.bin("clf-orchestrator").toString());
        daemon = DaemonProcess.spawn(command, Path.of(env.get("CLF_SOCKET_PATH")), env);
        daemon.awaitReady();
        Matcher found = PORT.matcher(daemon.out());
        if (!found.find()) {
            daemon.close();
            throw new AssertionError("no cattle-api.listening line\n" + daemon.output());
        }
        clf = Cli.on(daemon.socket());
        port = Integer.parseInt(found.group(1));
    }

    /**
     * Stops the daemon (SIGTERM; it must exit 0) and starts a new one on the same state, with the
     * same simulator and environment. Its cattle listener gets a new port.
     */
    void restart() throws Exception {
        if (daemon.isAlive()) {
            daemon.stop();
        }
        daemon.close();
        startDaemon();
    }

    /** Enqueues a spawn of {@code identity} as the operator (root) and returns the job id. */
    String spawn(String identity, String key) throws Exception {
        Image.Result result = clf.run("jobs", "enqueue", "cattle.spawn", "--requester", "maren", "--idempotency-key", key,
                "--identity", identity, "--task-id", "t-" + key, "--message", "hello", "--ttl", "1h", "--json");
        assertEquals(0, result.exitCode(), result.toString());
        return (String) JSON.std.mapFrom(result.out()).get("jobId");
    }

    /** Waits until the simulator has the server of job {@code jobId} and returns it. */
    SimServer awaitServer(String jobId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (SimServer server : simulator.servers()) {
                if (jobId.equals(server.labels().get("clf-job-id"))) {
                    return server;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no server for job " + jobId + "\n" + daemon.output());
    }

    /** Waits until {@code clf jobs show} reports {@code status} and returns the job. */
    Map<?, ?> awaitStatus(String jobId, String status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Map<?, ?> job = Map.of();
        while (System.nanoTime() < deadline) {
            job = (Map<?, ?>) JSON.std.mapFrom(clf.run("jobs", "show", "--job-id", jobId, "--json").out()).get("job");
            if (status.equals(job.get("status"))) {
                return job;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("job " + jobId + " never " + status + ": " + job + "\n" + daemon.output());
    }

    /** The events of a job, as {@code clf jobs events --json} prints them. */
    List<?> events(String jobId) throws Exception {
        Image.Result result = clf.run("jobs", "events", jobId, "--json");
        assertEquals(0, result.exitCode(), result.toString());
        return (List<?>) JSON.std.mapFrom(result.out()).get("events");
    }

    static long count(List<?> events, String type) {
        return events.stream().filter(e -> type.equals(((Map<?, ?>) e).get("type"))).count();
    }

    /** The bootstrap token in the user_data, read as cloud-init would write bootstrap.json. */
    static String tokenOf(SimServer server) throws IOException {
        String[] lines = server.userData().split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].strip().equals("- path: " + BOOTSTRAP_PATH)) {
                for (int j = i + 1; j < lines.length; j++) {
                    String line = lines[j].strip();
                    if (line.startsWith("content: ")) {
                        String content = (String) JSON.std.anyFrom(line.substring("content: ".length()));
                        return (String) JSON.std.mapFrom(content).get("token");
                    }
                }
            }
        }
        throw new AssertionError("no bootstrap.json in the user_data");
    }

    /** One HTTP/1.1 request to the cattle listener on its own connection, written byte for byte. */
    RawHttp.Response request(String method, String path, String authorization) throws IOException {
        return RawHttp.request(port, "127.0.0.1", Duration.ofSeconds(20), method, path, authorization);
    }

    /**
     * The same from loopback address 127.0.1.{@code n} (1–254): the listener answers 429 to an
     * address past 30 failures a minute, so many racers each get an address of their own.
     */
    RawHttp.Response requestFrom(int n, String method, String path, String authorization) throws IOException {
        return RawHttp.requestFrom(java.net.InetAddress.getByAddress(new byte[] {127, 0, 1, (byte) n}), port,
                "127.0.0.1", Duration.ofSeconds(20), method, path, authorization);
    }

    @Override
    public void close() throws Exception {
        try {
            if (daemon.isAlive()) {
                daemon.stop();
            }
        } finally {
            daemon.close();
            simulator.close();
        }
    }
}
