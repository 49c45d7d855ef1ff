package clf.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.queue.Job;
import clf.queue.JobStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash the issue is about (spec §9.2.1): the daemon dies by SIGKILL right after Hetzner
 * received {@code POST /servers}, before the answer reaches it. The simulator runs in this
 * process and kills the daemon from inside that request, so the create takes effect and its
 * answer is never sent. After every crash a new daemon takes the job back once its lease runs
 * out, finds the server by the job's label and adopts it. Twenty crashes, twenty jobs: each
 * ends done with exactly one server, and Hetzner saw exactly twenty creates.
 */
class SpawnCrashIT {
    static final int CRASHES = 20;

    @TempDir
    Path dir;

    @Test
    void aDaemonKilledRightAfterEachCreateLeavesExactlyOneServerPerJob() throws Exception {
        try (CattleHost host = new CattleHost(dir)) {
            host.sim.setBootDelay(Duration.ofMillis(300));
            Map<String, String> env = Map.of("CLF_WORKER_CONCURRENCY", "4", "CLF_CATTLE_MAX_INSTANCES", "100",
                    "CLF_CATTLE_MAX_PER_REQUESTER", "100");
            AtomicReference<DaemonProcess> current = new AtomicReference<>();
            AtomicBoolean armed = new AtomicBoolean();
            List<String> killedAfter = new ArrayList<>();
            host.sim.addObserver(exchange -> {
                if ("POST /servers".equals(exchange.route()) && exchange.status() == 201 && armed.compareAndSet(true, false)) {
                    try {
                        current.get().signal("KILL");
                        current.get().awaitExit(Duration.ofSeconds(10));
                        killedAfter.add(exchange.responseBody());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });

            List<String> jobs = new ArrayList<>();
            long start = System.nanoTime();
            for (int crash = 1; crash <= CRASHES; crash++) {
                DaemonProcess daemon = host.start("d", env);
                current.set(daemon);
                armed.set(true);
                // Jobs earlier crashes left running are taken back once their lease ends; the
                // kill may find one of them adopting its server, or booting, or at its own create.
                jobs.add(host.spawn("maren", 10));
                int crashNumber = crash;
                host.await(() -> !daemon.isAlive(), Duration.ofSeconds(30),
                        () -> "crash " + crashNumber + ": the daemon never sent a create");
            }
            long crashMs = (System.nanoTime() - start) / 1_000_000;

            DaemonProcess recovered = host.start("d", env);
            for (String id : jobs) {
                host.await(() -> host.job(id).status().isTerminal(), Duration.ofSeconds(60),
                        () -> "job " + id + " never ended: " + host.job(id) + "\n" + host.events(id));
            }
            long totalMs = (System.nanoTime() - start) / 1_000_000;

            assertEquals(CRASHES, killedAfter.size(), "every cycle was killed right after a create");
            for (String id : jobs) {
                Job job = host.job(id);
                assertEquals(JobStatus.DONE, job.status(), job + "\n" + host.events(id));
                assertEquals(1, host.liveServersOf(id).size(), "servers of job " + id + ": " + host.sim.servers());
                assertTrue(host.hasEvent(id, "cattle.server-adopted"),
                        "the crashed attempt's server was adopted: " + host.events(id));
            }
            assertEquals(CRASHES, host.sim.count("POST /servers"), "one create per job, never a second");
            assertEquals(CRASHES, host.sim.servers().size());
            assertEquals(0, host.sim.count("DELETE /servers/{id}"));
            recovered.stop();
            System.out.printf("SpawnCrashIT: %d SIGKILLs right after POST /servers in %d ms; all %d jobs done with "
                    + "one server each after %d ms; %d creates in total%n", CRASHES, crashMs, jobs.size(), totalMs,
                    host.sim.count("POST /servers"));
        }
    }
}
