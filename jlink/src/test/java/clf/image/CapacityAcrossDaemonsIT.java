package clf.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.hetzner.sim.SimListener;
import clf.hetzner.sim.SimServer;
import clf.queue.Job;
import clf.queue.JobStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CLF_CATTLE_MAX_INSTANCES and CLF_CATTLE_MAX_PER_REQUESTER hold for the whole host: two daemon
 * processes on one state directory and one Hetzner project, eight workers racing for the last
 * slots, and a daemon killed and restarted in between. Every time Hetzner makes a server, the
 * test counts what exists: never more than the limits.
 */
class CapacityAcrossDaemonsIT {
    static final int MAX = 4;
    static final int PER_REQUESTER = 2;

    @TempDir
    Path dir;

    @Test
    void twoDaemonsOnOneHostNeverExceedTheLimitsNorAfterARestart() throws Exception {
        try (CattleHost host = new CattleHost(dir)) {
            host.sim.setBootDelay(Duration.ofMillis(1_500));
            AtomicInteger mostAtOnce = new AtomicInteger();
            AtomicInteger mostForMaren = new AtomicInteger();
            host.sim.addListener(new SimListener() {
                @Override
                public void serverCreated(SimServer created) {
                    List<SimServer> live = host.sim.servers().stream().filter(s -> !s.status().equals("deleting")).toList();
                    mostAtOnce.accumulateAndGet(live.size(), Math::max);
                    mostForMaren.accumulateAndGet((int) live.stream()
                            .filter(s -> "maren".equals(s.labels().get("requester"))).count(), Math::max);
                }
            });
            Map<String, String> env = Map.of("CLF_CATTLE_MAX_INSTANCES", Integer.toString(MAX),
                    "CLF_CATTLE_MAX_PER_REQUESTER", Integer.toString(PER_REQUESTER), "CLF_WORKER_CONCURRENCY", "4");
            DaemonProcess a = host.start("a", env);
            DaemonProcess b = host.start("b", env);

            // Three spawns for one requester race in both daemons: two fit, the third is refused.
            List<String> maren = List.of(host.spawn("maren", 1), host.spawn("maren", 1), host.spawn("maren", 1));
            awaitEnded(host, maren);
            // Then five for others, racing for the two slots left.
            List<String> others = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                others.add(host.spawn("bot-" + i, 1));
            }
            awaitEnded(host, others);

            assertEquals(2, count(host, maren, JobStatus.DONE), describe(host, maren));
            assertTrue(host.job(refused(host, maren)).lastError()
                    .startsWith("max instances per requester reached for maren (2/2)"), describe(host, maren));
            assertEquals(2, count(host, others, JobStatus.DONE), describe(host, others));
            for (String id : others) {
                Job job = host.job(id);
                assertTrue(job.status() == JobStatus.DONE || job.lastError().equals("max instances reached (4/4)"),
                        job.toString());
            }
            assertEquals(MAX, host.sim.count("POST /servers"));
            assertEquals(MAX, mostAtOnce.get(), "servers at once, all requesters");
            assertEquals(PER_REQUESTER, mostForMaren.get(), "servers at once for maren");
            Set<Long> pids = new HashSet<>();
            List<String> all = new ArrayList<>(maren);
            all.addAll(others);
            for (String id : all) {
                host.claimedBy(id).forEach(worker -> pids.add(Long.parseLong(worker.replaceAll("^.*-(\\d+)-\\d+$", "$1"))));
            }
            assertEquals(Set.of(a.pid(), b.pid()), pids, "both daemons ran spawns");

            // A daemon killed and started again still counts what is there.
            a.signal("KILL");
            a.awaitExit(Duration.ofSeconds(10));
            DaemonProcess again = host.start("a", env);
            List<String> late = List.of(host.spawn("bot-9", 1), host.spawn("bot-10", 1));
            awaitEnded(host, late);
            for (String id : late) {
                assertEquals("max instances reached (4/4)", host.job(id).lastError(), host.job(id).toString());
            }
            assertEquals(MAX, host.sim.count("POST /servers"));
            again.stop();
            b.stop();
        }
    }

    static void awaitEnded(CattleHost host, List<String> ids) throws InterruptedException {
        for (String id : ids) {
            host.await(() -> host.job(id).status().isTerminal(), Duration.ofSeconds(30),
                    () -> "job never ended: " + host.job(id) + "\n" + host.events(id));
        }
    }

    static long count(CattleHost host, List<String> ids, JobStatus status) {
        return ids.stream().filter(id -> host.job(id).status() == status).count();
    }

    static String refused(CattleHost host, List<String> ids) {
        return ids.stream().filter(id -> host.job(id).status() == JobStatus.FAILED).findFirst().orElseThrow();
    }

    static String describe(CattleHost host, List<String> ids) {
        StringBuilder text = new StringBuilder();
        for (String id : ids) {
            text.append(host.job(id)).append('\n').append(host.events(id)).append('\n');
        }
        return text.toString();
    }
}
