package clf.image;

import clf.hetzner.sim.SimServer;
import clf.testing.Tmpfs;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scenario C of the reliability harness ({@link ReliabilityHarness}, {@link FullDiskIT}): the
 * daemon's state directory (job store, tokens, capacity) on a small real tmpfs that fills up
 * while it runs, cattle on against a Hetzner simulator in this JVM.
 *
 * <ol>
 * <li>A spawn starts; its server boots for {@link #BOOT} in the simulator.
 * <li>A filler file takes all but 1 MiB, then valid enqueues go in until one is refused; the
 * filler then takes the rest, so nothing at all can be written. The refusal must be a 503 that
 * says the disk is full; reads (list, show) and both /healthz must still answer 200.
 * <li>The spawn's server comes up while the disk is full: the spawn cannot record it, nor
 * its failure (job.finish-failed). The job must stay running, the log must stay short, the
 * daemon must not spin (its CPU time over the window is measured).
 * <li>The filler is deleted: the next enqueue must succeed without a restart, the spawn must
 * run again after its lease and end done with its one server (adopted, not made twice).
 * <li>Every job acknowledged before the disk filled is still there, after a clean stop the
 * databases pass {@code PRAGMA integrity_check}, and a restarted daemon still has them all.
 * </ol>
 */
final class FullDiskRun {
    static final long SIZE = 8 << 20;
    static final Duration BOOT = Duration.ofSeconds(4);
    static final Duration LEASE = Duration.ofSeconds(3);
    /** How long the disk stays full after the spawn failed to record its end (the lease runs out meanwhile). */
    static final Duration HOLD = Duration.ofSeconds(5);
    static final String HCLOUD = "hcloud-full-disk";

    private FullDiskRun() {
    }

    /** Everything the run saw; {@link #problems} lists what broke the rules. */
    record Result(String tmpfs, int acknowledgedBeforeFull, int refusedStatus, String refusedMessage, int listWhileFull,
            int showWhileFull, int botHealthWhileFull, int cattleHealthWhileFull, String spawnWhileFull,
            boolean spawnFinishFailed, long fullWindowMs, Map<String, Long> errorLinesWhileFull, double cpuSecondsWhileFull,
            int enqueueAfterFree, String spawnAfter, int spawnServers, List<String> spawnEvents, int missingAfterFree,
            Map<String, String> integrity, int missingAfterRestart) {

        List<String> problems() {
            List<String> problems = new ArrayList<>();
            if (acknowledgedBeforeFull == 0) {
                problems.add("no enqueue was acknowledged before the disk filled: nothing to lose, nothing proven");
            }
            if (refusedStatus != 503 || refusedMessage == null || !refusedMessage.contains("disk is full")) {
                problems.add("an enqueue on the full disk got " + refusedStatus + " " + refusedMessage);
            }
            if (listWhileFull != 200 || showWhileFull != 200 || botHealthWhileFull != 200 || cattleHealthWhileFull != 200) {
                problems.add("reads while full: list " + listWhileFull + ", show " + showWhileFull + ", bot /healthz "
                        + botHealthWhileFull + ", cattle /healthz " + cattleHealthWhileFull);
            }
            if (!"running".equals(spawnWhileFull) || !spawnFinishFailed) {
                problems.add("the spawn that finished while the disk was full: " + spawnWhileFull
                        + (spawnFinishFailed ? "" : " (no job.finish-failed line)"));
            }
            errorLinesWhileFull.forEach((event, lines) -> {
                if (!event.equals("bot-api.store-unavailable") && lines > 3) {
                    problems.add(lines + " " + event + " lines in " + fullWindowMs + " ms of full disk");
                }
            });
            if (enqueueAfterFree != 200) {
                problems.add("the first enqueue after space was freed got " + enqueueAfterFree);
            }
            if (!"done".equals(spawnAfter) || spawnServers != 1) {
                problems.add("the spawn after space was freed: " + spawnAfter + " with " + spawnServers + " servers; events "
                        + spawnEvents);
            }
            if (missingAfterFree != 0 || missingAfterRestart != 0) {
                problems.add("acknowledged jobs missing: " + missingAfterFree + " after freeing space, " + missingAfterRestart
                        + " after a restart");
            }
            integrity.forEach((name, answer) -> {
                if (!answer.equals("ok")) {
                    problems.add("integrity_check of " + name + ": " + answer);
                }
            });
            return problems;
        }

        void print(PrintStream out) {
            out.printf("Scenario C: state directory on a %d MiB tmpfs (%s)%n", SIZE >> 20, tmpfs);
            out.printf("  enqueues acknowledged before the disk filled: %d; then: %d %s%n", acknowledgedBeforeFull,
                    refusedStatus, refusedMessage);
            out.printf("  while full: list %d, show %d, bot /healthz %d, cattle /healthz %d%n", listWhileFull, showWhileFull,
                    botHealthWhileFull, cattleHealthWhileFull);
            out.printf("  spawn whose server came up while full: %s%s%n", spawnWhileFull,
                    spawnFinishFailed ? " (job.finish-failed logged; it stays running until its lease runs out)" : "");
            out.printf("  %,d ms of full disk: daemon CPU %.2f s; ERROR lines by event %s%n", fullWindowMs,
                    cpuSecondsWhileFull, errorLinesWhileFull);
            out.printf("  space freed: next enqueue %d (no restart); spawn %s with %d server; events %s%n", enqueueAfterFree,
                    spawnAfter, spawnServers, spawnEvents);
            out.printf("  acknowledged jobs missing: %d after freeing space, %d after a restart; integrity_check %s%n",
                    missingAfterFree, missingAfterRestart, integrity);
        }
    }

    static Result run(Path dir, Tmpfs tmpfs, PrintStream progress) throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HCLOUD_TOKEN", HCLOUD);
        env.put("TAILSCALE_AUTH_KEY", "tskey-full-disk");
        env.put("OPENAI_API_KEY", "sk-full-disk");
        env.put("CLF_DB_PATH", tmpfs.mountPoint().resolve("state.sqlite").toString());
        env.put("CLF_WORKER_LEASE_MS", Long.toString(LEASE.toMillis()));
        env.put("CLF_WORKER_LEASE_REFRESH_MS", "500");
        env.put("CLF_REAP_INTERVAL", "1d");
        try (CattleRig rig = CattleRig.start(dir, HCLOUD, env, tmpfs.enter())) {
            rig.simulator.setBootDelay(BOOT);
            Path socket = rig.daemon.socket();
            progress.println("[C] daemon pid " + rig.daemon.pid() + ", state on " + tmpfs.how());
            String spawn = rig.spawn("rex", "full-disk");
            rig.awaitServer(spawn);

            // Fill: all but 1 MiB, then enqueues until one is refused, then the rest.
            tmpfs.fill(1 << 20);
            List<String> acknowledged = new ArrayList<>();
            UnixHttp.Response refused = null;
            for (int i = 0; i < 10_000 && refused == null; i++) {
                UnixHttp.Response response = UnixHttp.call(socket, "POST", "/v1/jobs/enqueue", UnixHttp.reapBody("fill-" + i));
                if (response.status() == 200) {
                    acknowledged.add((String) response.json().get("jobId"));
                } else {
                    refused = response;
                }
            }
            if (refused == null) {
                throw new AssertionError("10,000 enqueues and the disk is not full");
            }
            tmpfs.fill(0);
            long windowStart = System.nanoTime();
            int outputMark = rig.daemon.out().length();
            double cpuStart = cpuSeconds(rig.daemon.pid());
            progress.println("[C] disk full after " + acknowledged.size() + " enqueues: " + refused);

            int list = UnixHttp.call(socket, "GET", "/v1/jobs?limit=500", null).status();
            int show = acknowledged.isEmpty() ? -1
                    : UnixHttp.call(socket, "GET", "/v1/jobs/" + acknowledged.get(0), null).status();
            int botHealth = UnixHttp.call(socket, "GET", "/healthz", null).status();
            int cattleHealth = rig.request("GET", "/healthz", null).status();
            boolean finishFailed = rig.daemon.awaitLog("job.finish-failed job=" + spawn, BOOT.plusSeconds(20));
            Thread.sleep(HOLD.toMillis());
            String spawnWhileFull = status(socket, spawn);
            double cpu = cpuSeconds(rig.daemon.pid()) - cpuStart;
            long windowMs = (System.nanoTime() - windowStart) / 1_000_000;
            Map<String, Long> errors = errorLines(rig.daemon.out().substring(outputMark));

            tmpfs.unfill();
            UnixHttp.Response afterFree = UnixHttp.call(socket, "POST", "/v1/jobs/enqueue", UnixHttp.reapBody("after-free"));
            if (afterFree.status() == 200) {
                acknowledged.add((String) afterFree.json().get("jobId"));
            }
            progress.println("[C] space freed: enqueue " + afterFree.status() + "; waiting for the spawn to end");
            String spawnAfter = awaitEnd(socket, spawn, Duration.ofSeconds(60));
            int servers = (int) rig.simulator.servers().stream()
                    .filter(server -> spawn.equals(server.labels().get("clf-job-id"))).map(SimServer::id).distinct().count();
            List<String> events = rig.events(spawn).stream().map(e -> String.valueOf(((Map<?, ?>) e).get("type"))).toList();
            int missingAfterFree = missing(socket, acknowledged);

            rig.daemon.stop();
            Map<String, String> integrity = StateFiles.integrityCheck(tmpfs.path(), Files.createTempDirectory(dir, "copies"));
            rig.restart();
            int missingAfterRestart = missing(rig.daemon.socket(), acknowledged);
            return new Result(tmpfs.how(), acknowledged.size() - (afterFree.status() == 200 ? 1 : 0), refused.status(),
                    refused.errorMessage(), list, show, botHealth, cattleHealth, spawnWhileFull, finishFailed, windowMs, errors,
                    cpu, afterFree.status(), spawnAfter, servers, events, missingAfterFree, integrity, missingAfterRestart);
        }
    }

    private static String status(Path socket, String jobId) throws IOException {
        UnixHttp.Response response = UnixHttp.call(socket, "GET", "/v1/jobs/" + jobId, null);
        return response.status() != 200 ? "show " + response.status()
                : String.valueOf(((Map<?, ?>) response.json().get("job")).get("status"));
    }

    /** Waits until the job is done, failed or canceled; returns its last status. */
    private static String awaitEnd(Path socket, String jobId, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        String status = status(socket, jobId);
        while (!List.of("done", "failed", "canceled").contains(status) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            status = status(socket, jobId);
        }
        return status;
    }

    /** How many of {@code jobIds} the daemon no longer shows. */
    private static int missing(Path socket, List<String> jobIds) throws IOException {
        int missing = 0;
        for (String id : jobIds) {
            if (UnixHttp.call(socket, "GET", "/v1/jobs/" + id, null).status() != 200) {
                missing++;
            }
        }
        return missing;
    }

    /** ERROR lines by event name. */
    static Map<String, Long> errorLines(String output) {
        Map<String, Long> counts = new TreeMap<>();
        output.lines().filter(line -> line.contains(" ERROR ")).forEach(line -> {
            String[] words = line.split(" ", 4);
            counts.merge(words.length > 2 ? words[2] : line, 1L, Long::sum);
        });
        return counts;
    }

    /** User and system CPU time of a process so far, from /proc (clock ticks of 10 ms). */
    static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }
}
