package clf.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import clf.hetzner.sim.HetznerSimulator;
import clf.hetzner.sim.SimServer;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
            "OPENAI_API_KEY", "OPEN_AI_APIKEY", "ANTHROPIC_API_KEY", "ZAI_API_KEY", "Z_AI_API_KEY", "GITHUB_TOKEN",
            "CREDENTIALS_DIRECTORY");
    private static final Pattern PORT = Pattern.compile("cattle-api\\.listening port=(\\d+)");

    final HetznerSimulator simulator;
    final DaemonProcess daemon;
    final Cli clf;
    final int port;

    private CattleRig(HetznerSimulator simulator, DaemonProcess daemon, int port) {
        this.simulator = simulator;
        this.daemon = daemon;
        this.clf = Cli.on(daemon.socket());
        this.port = port;
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
        env.put("CLF_CATTLE_IMAGE", "clf-cattle-test");
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
        HetznerSimulator simulator = HetznerSimulator.start();
        try {
            simulator.requireToken(hcloudToken);
            simulator.setBootDelay(Duration.ofMillis(300));
            Map<String, String> env = env(dir, simulator.baseUrl().toString(), extra);
            DaemonProcess daemon = DaemonProcess.spawn(List.of(Image.bin("clf-orchestrator").toString()),
                    DaemonProcess.socketIn(dir), env);
            daemon.awaitReady();
            Matcher port = PORT.matcher(daemon.out());
            if (!port.find()) {
                daemon.close();
                throw new AssertionError("no cattle-api.listening line\n" + daemon.output());
            }
            return new CattleRig(simulator, daemon, Integer.parseInt(port.group(1)));
        } catch (Exception | AssertionError e) {
            simulator.close();
            throw e;
        }
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

    record Response(int status, Map<String, String> headers, String body) {
        Map<String, Object> json() throws IOException {
            return JSON.std.mapFrom(body);
        }

        String errorMessage() throws IOException {
            return String.valueOf(((Map<?, ?>) json().get("error")).get("message"));
        }
    }

    /** One HTTP/1.1 request to the cattle listener on its own connection, written byte for byte. */
    Response request(String method, String path, String authorization) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            if (authorization != null) {
                request.append("Authorization: ").append(authorization).append("\r\n");
            }
            request.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            String raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int split = raw.indexOf("\r\n\r\n");
            String[] head = raw.substring(0, split).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                headers.put(head[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).strip());
            }
            return new Response(Integer.parseInt(head[0].split(" ")[1]), headers, raw.substring(split + 4));
        }
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
