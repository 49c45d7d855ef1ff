package clf.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Several stores on one queue at once, as the daemons of several hosts (PostgreSQL) or several
 * processes of one host (SQLite) are: every job is claimed exactly once, and all of them get work.
 */
class ConcurrentClaimsTest extends StoreFixture {
    static final int HOSTS = 3;
    static final int THREADS_PER_HOST = 4;
    static final int JOBS = 600;
    static final Set<String> KINDS = Set.of("test.work");

    @Test
    void workersOfThreeHostsClaimEveryJobExactlyOnce() throws Exception {
        for (int i = 0; i < JOBS; i++) {
            store.enqueue(NewJob.of("test.work", "bot" + (i % 7), "{\"n\":" + i + "}"));
        }
        List<JobStore> hosts = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(HOSTS * THREADS_PER_HOST);
        Map<String, String> claimedBy = new ConcurrentHashMap<>();
        List<String> twice = new ArrayList<>();
        try {
            for (int h = 0; h < HOSTS; h++) {
                hosts.add(engine.open(dir, TestStores.options(clock)));
            }
            List<Future<?>> workers = new ArrayList<>();
            for (int h = 0; h < HOSTS; h++) {
                JobStore host = hosts.get(h);
                for (int t = 0; t < THREADS_PER_HOST; t++) {
                    String workerId = "host" + h + "-w" + t;
                    workers.add(threads.submit(() -> {
                        for (var job = host.claimNext(workerId, KINDS, Duration.ofMinutes(5)); job.isPresent();
                                job = host.claimNext(workerId, KINDS, Duration.ofMinutes(5))) {
                            if (claimedBy.putIfAbsent(job.get().id(), workerId) != null) {
                                synchronized (twice) {
                                    twice.add(job.get().id());
                                }
                            }
                            assertEquals(Completion.DONE, host.ack(job.get().id(), workerId, null));
                        }
                        return null;
                    }));
                }
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            threads.shutdownNow();
            hosts.forEach(JobStore::close);
        }

        assertEquals(List.of(), twice, "jobs claimed twice");
        assertEquals(JOBS, claimedBy.size(), "every job was claimed");
        Map<String, Integer> byHost = new HashMap<>();
        claimedBy.values().forEach(worker -> byHost.merge(worker.substring(0, 5), 1, Integer::sum));
        assertEquals(HOSTS, byHost.size(), "every host took part: " + byHost);
        for (String id : claimedBy.keySet()) {
            assertEquals(JobStatus.DONE, store.get(id).orElseThrow().status());
        }
        assertTrue(store.claimNext("late", KINDS, Duration.ofMinutes(1)).isEmpty(), "nothing left");
    }
}
