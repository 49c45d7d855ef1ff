package clf.image;

import clf.hetzner.sim.HetznerSimulator;
import clf.hetzner.sim.SimServer;
import clf.queue.Job;
import clf.queue.JobEvent;
import clf.queue.JobStore;
import clf.queue.JobStores;
import clf.queue.NewJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One operator host for the cattle image tests: a Hetzner simulator in the test process, and
 * real daemons ({@code bin/clf-orchestrator} without {@code --dev}) pointed at it, all on one
 * state directory (job store, tokens, capacity file). Each daemon gets its own socket. The test
 * reads and feeds the job store directly, as a second process on the same SQLite file.
 */
final class CattleHost implements AutoCloseable {
    static final String HCLOUD_TOKEN = "host-test-hcloud-token";
    /** The fault proofs' daemon settings beside {@link #env}: room for their load, and a reap every 2 s. */
    static final Map<String, String> UNDER_LOAD = Map.of(
            "CLF_WORKER_CONCURRENCY", "4",
            "CLF_CATTLE_MAX_INSTANCES", "60",
            "CLF_CATTLE_MAX_PER_REQUESTER", "30",
            "CLF_REAP_INTERVAL", "2s");

    final Path dir;
    final HetznerSimulator sim = HetznerSimulator.start();
    private final List<DaemonProcess> daemons = new ArrayList<>();
    private JobStore store;

    CattleHost(Path dir) throws IOException {
        this.dir = dir;
        sim.requireToken(HCLOUD_TOKEN);
        sim.setDeleteDelay(Duration.ZERO);
        Path rex = Files.createDirectories(dir.resolve("identities/rex"));
        Files.writeString(rex.resolve("SOUL.md"), "# Rex\nCareful.\n");
        Files.writeString(rex.resolve("config.json"), "{\"schemaVersion\":1,\"model\":{\"primary\":\"openai/gpt-4o\"}}");
    }

    /** The environment of daemon {@code name}: shared state in dir/state, its socket in dir/run-NAME (0755). */
    Map<String, String> env(String name) throws IOException {
        Path run = Files.createDirectories(dir.resolve("run-" + name));
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CLF_DB_PATH", dir.resolve("state/state.sqlite").toString());
        env.put("CLF_SOCKET_PATH", run.resolve("bot.sock").toString());
        env.put("CLF_SHUTDOWN_GRACE_MS", "2000");
        env.putAll(cattleEnv(sim, dir.resolve("identities")));
        env.put("CLF_WORKER_POLL_MS", "50");
        env.put("CLF_WORKER_LEASE_MS", "2000");
        env.put("CLF_WORKER_LEASE_REFRESH_MS", "500");
        env.put("CLF_CATTLE_STATUS_POLL_MS", "100");
        return env;
    }

    /**
     * What a production daemon (no {@code --dev}) needs to run cattle against {@code sim}, a
     * simulator in another process: its URL and token, the simulator's snapshot, a static join
     * key, an admin key, identities in {@code identities}, the listener on loopback.
     */
    static Map<String, String> cattleEnv(HetznerSimulator sim, Path identities) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CLF_CATTLE_ENABLED", "1");
        env.put("CLF_HCLOUD_API_URL", sim.baseUrl().toString());
        env.put("HCLOUD_TOKEN", HCLOUD_TOKEN);
        env.put("CLF_CATTLE_IMAGE", String.valueOf(HetznerSimulator.DEV_SNAPSHOT_ID));
        env.put("TAILSCALE_AUTH_KEY", "tskey-test");
        env.put("CLF_ADMIN_AUTHORIZED_KEYS",
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGRldm1vZGVkZXZtb2RlZGV2bW9kZWRldm1vZGVkZXZt test");
        env.put("CLF_IDENTITIES_ROOT", identities.toString());
        env.put("OPENAI_API_KEY", "sk-test");
        env.put("CLF_CATTLE_SECRETS_LISTEN_HOST", "127.0.0.1");
        env.put("CLF_CATTLE_SECRETS_LISTEN_PORT", "0");
        env.put("CLF_CATTLE_VERIFY_PEER", "off"); // VMs here are the test, on 127.0.0.1; see PeerVerificationIT
        return env;
    }

    /** Starts daemon {@code name} with {@code extra} over {@link #env} and waits until it is ready. */
    DaemonProcess start(String name, Map<String, String> extra) throws IOException, InterruptedException {
        Map<String, String> env = env(name);
        env.putAll(extra);
        DaemonProcess daemon = DaemonProcess.spawn(List.of(Image.bin("clf-orchestrator").toString()),
                Path.of(env.get("CLF_SOCKET_PATH")), env);
        synchronized (daemons) {
            daemons.add(daemon);
        }
        daemon.awaitReady();
        return daemon;
    }

    /** The job store the daemons share (opened once the first daemon made the state directory). */
    synchronized JobStore store() {
        if (store == null) {
            store = JobStores.openSqlite(dir.resolve("state/state.sqlite"));
        }
        return store;
    }

    static String spawnPayload() {
        return "{\"identity\":\"rex\",\"ttl\":\"1h\",\"task\":{\"schemaVersion\":1,\"taskId\":\"t-1\","
                + "\"type\":\"clawdbot.gateway.agent\",\"message\":\"hello\"}}";
    }

    String spawn(String requester, int maxAttempts) {
        return store().enqueue(NewJob.of("cattle.spawn", requester, spawnPayload()).withMaxAttempts(maxAttempts)).jobId();
    }

    Job job(String id) {
        return store().get(id).orElseThrow();
    }

    List<String> events(String id) {
        return store().events(id).stream().map(e -> e.type() + ": " + e.message()).toList();
    }

    boolean hasEvent(String id, String type) {
        return store().events(id).stream().map(JobEvent::type).anyMatch(type::equals);
    }

    /** The workers (clf-HOST-PID-N) that claimed this job, from its claim events. */
    List<String> claimedBy(String id) {
        return store().events(id).stream().filter(e -> e.type().equals(JobEvent.CLAIM)).map(JobEvent::message).toList();
    }

    /** Servers of this job that exist and are not being deleted. */
    List<SimServer> liveServersOf(String jobId) {
        return sim.servers().stream()
                .filter(server -> jobId.equals(server.labels().get("clf-job-id")))
                .filter(server -> !server.status().equals("deleting"))
                .toList();
    }

    void await(BooleanSupplier condition, Duration timeout, Supplier<String> why) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(why.get() + "\n" + outputs());
            }
            Thread.sleep(10);
        }
    }

    String outputs() {
        StringBuilder text = new StringBuilder();
        synchronized (daemons) {
            for (DaemonProcess daemon : daemons) {
                text.append("=== daemon ").append(daemon.pid()).append('\n').append(daemon.output());
            }
        }
        return text.length() > 200_000 ? text.substring(text.length() - 200_000) : text.toString();
    }

    @Override
    public void close() {
        synchronized (daemons) {
            daemons.forEach(DaemonProcess::close);
        }
        sim.close();
        if (store != null) {
            store.close();
        }
    }
}
