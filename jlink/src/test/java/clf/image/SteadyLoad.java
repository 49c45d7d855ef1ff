package clf.image;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The bots' steady load for the fault proofs, on one thread: every {@code pause} (random within
 * its range) one enqueue of {@code cattle.spawn} with a short TTL, {@code cattle.reap}, or a
 * dry-run {@code cattle.reap} (a job that reads Hetzner and changes nothing), half of them with
 * an idempotency key. Choices come from a seeded {@link Random}, so a run's load is the same for
 * the same seed (its timing still depends on the machine).
 *
 * @param spawnShare  fraction of enqueues that are spawns
 * @param reapShare   fraction that are real reaps; the rest are dry runs
 * @param minTtl      shortest spawn TTL (whole seconds)
 * @param maxTtl      longest spawn TTL
 * @param requesters  spawns are spread over this many requesters (r0, r1, …)
 */
record SteadyLoad(Duration minPause, Duration maxPause, double spawnShare, double reapShare, Duration minTtl,
                  Duration maxTtl, int requesters) {

    /** A running load; {@link #stop()} ends it after the enqueue in flight. */
    static final class Running {
        private final Thread thread;
        private final List<RetryingBot.Enqueued> accepted = new ArrayList<>();
        private volatile boolean stopping;
        private volatile Throwable failure;
        final RetryingBot bot;

        private Running(SteadyLoad load, RetryingBot bot, Random random, String keyPrefix) {
            this.bot = bot;
            this.thread = new Thread(() -> {
                try {
                    for (int n = 0; !stopping; n++) {
                        Thread.sleep(load.pauseMs(random));
                        RetryingBot.Enqueued enqueued = load.enqueueOne(bot, random, keyPrefix + n);
                        if (enqueued != null) {
                            synchronized (accepted) {
                                accepted.add(enqueued);
                            }
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException | Error e) {
                    failure = e;
                }
            }, "steady-load");
            thread.setDaemon(true);
        }

        /** Stops after the enqueue in flight (which may wait for a daemon to come back). */
        void stop() throws InterruptedException {
            stopping = true;
            thread.join(Duration.ofMinutes(2).toMillis());
            if (thread.isAlive()) {
                throw new IllegalStateException("the load thread did not stop");
            }
            if (failure != null) {
                throw new IllegalStateException("the load thread failed", failure);
            }
        }

        /** Every enqueue the daemon answered 200, in order. */
        List<RetryingBot.Enqueued> accepted() {
            synchronized (accepted) {
                return List.copyOf(accepted);
            }
        }
    }

    Running start(RetryingBot bot, long seed, String keyPrefix) {
        Running running = new Running(this, bot, new Random(seed), keyPrefix);
        running.thread.start();
        return running;
    }

    private long pauseMs(Random random) {
        long min = minPause.toMillis();
        return min + (long) (random.nextDouble() * (maxPause.toMillis() - min));
    }

    private RetryingBot.Enqueued enqueueOne(RetryingBot bot, Random random, String key) throws InterruptedException {
        double pick = random.nextDouble();
        String requester = "r" + random.nextInt(requesters);
        String idempotencyKey = random.nextBoolean() ? key : null;
        if (pick < spawnShare) {
            long ttl = minTtl.toSeconds() + random.nextInt((int) (maxTtl.toSeconds() - minTtl.toSeconds() + 1));
            Map<String, Object> task = Map.of("schemaVersion", 1, "taskId", "t-" + key,
                    "type", "clawdbot.gateway.agent", "message", "fault proof");
            return bot.enqueue("cattle.spawn", requester,
                    Map.of("identity", "rex", "ttl", ttl + "s", "task", task), idempotencyKey);
        }
        boolean dryRun = pick >= spawnShare + reapShare;
        return bot.enqueue("cattle.reap", requester, Map.of("dryRun", dryRun), idempotencyKey);
    }
}
