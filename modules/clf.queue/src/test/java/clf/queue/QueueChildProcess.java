package clf.queue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * A separate JVM working on the same store as the test ({@link StoreEngine} {@code ENGINE}'s
 * store of directory {@code DIR}), to prove the queue holds up across processes and process
 * deaths. Prints what it did, one line per job, on stdout.
 *
 * <ul>
 *   <li>{@code claim-ack ENGINE DIR THREADS}: threads claim and ack until nothing is due; prints {@code acked <id>}.</li>
 *   <li>{@code crash-loop ENGINE DIR}: prints {@code ready}, then claims, works 1 ms, acks, until nothing
 *       is left (the test kills it with SIGKILL on the way).</li>
 *   <li>{@code enqueue-key ENGINE DIR THREADS KEY}: threads enqueue with one key at once; prints {@code job <id>}.</li>
 * </ul>
 */
public final class QueueChildProcess {
    static final Set<String> KINDS = Set.of("test.work");

    public static void main(String[] args) throws Exception {
        StoreEngine engine = StoreEngine.valueOf(args[1]);
        try (JobStore store = engine.open(Path.of(args[2]), StoreOptions.defaults())) {
            switch (args[0]) {
                case "claim-ack" -> claimAck(store, Integer.parseInt(args[3]));
                case "crash-loop" -> crashLoop(store);
                case "enqueue-key" -> enqueueKey(store, Integer.parseInt(args[3]), args[4]);
                default -> throw new IllegalArgumentException("unknown mode " + args[0]);
            }
        }
        System.out.flush();
    }

    private static void claimAck(JobStore store, int threads) throws InterruptedException {
        String prefix = "p" + ProcessHandle.current().pid() + "-";
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String workerId = prefix + t;
            Thread worker = new Thread(() -> {
                StringBuilder out = new StringBuilder();
                while (true) {
                    var job = store.claimNext(workerId, KINDS, Duration.ofMinutes(5));
                    if (job.isEmpty()) {
                        break;
                    }
                    if (store.ack(job.get().id(), workerId, null) != Completion.DONE) {
                        throw new AssertionError("ack refused for " + job.get().id());
                    }
                    out.append("acked ").append(job.get().id()).append('\n');
                }
                synchronized (System.out) {
                    System.out.print(out);
                }
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
    }

    private static void crashLoop(JobStore store) throws InterruptedException {
        System.out.println("ready");
        System.out.flush();
        String workerId = "crash-" + ProcessHandle.current().pid();
        int idle = 0;
        while (idle < 20) {
            var job = store.claimNext(workerId, KINDS, Duration.ofMillis(300));
            if (job.isEmpty()) {
                idle++;
                Thread.sleep(50); // expired leases of killed predecessors come due
                continue;
            }
            idle = 0;
            Thread.sleep(1); // the handler's work: the window in which a kill leaves a lease behind
            store.ack(job.get().id(), workerId, "{\"by\":\"" + workerId + "\"}");
        }
    }

    private static void enqueueKey(JobStore store, int threads, String key) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                EnqueueResult result = store.enqueue(NewJob.of("test.work", "maren", "{}").withIdempotencyKey(key));
                synchronized (System.out) {
                    System.out.println("job " + result.jobId());
                }
            });
            workers.add(worker);
            worker.start();
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
    }
}
