package clf.server.internal.housekeeping;

import clf.protocol.JobKind;
import clf.queue.JobStore;
import clf.queue.NewJob;
import clf.server.internal.auth.CallerResolver;
import clf.server.internal.log.Log;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Enqueues the daemon's own jobs: a {@code cattle.reap} every reap interval and a
 * {@code clf.prune} every day. They are jobs, not hidden timers, so their runs, results and
 * failures show in {@code clf jobs list}. The idempotency key names the time slot, so several
 * orchestrator processes on one host enqueue each run once.
 */
public final class Housekeeping implements AutoCloseable {
    public static final String REQUESTER = CallerResolver.SYSTEM_REQUESTER;
    /**
     * The periodic reap runs before any bot's job (bots choose small priorities): when bots' jobs
     * wait for the Hetzner budget, the next free worker takes the reap, whose calls may spend the
     * reserve kept for it.
     */
    public static final int REAP_PRIORITY = 1_000_000;

    private final JobStore store;
    private final Clock clock;
    private final Log log;
    private final ScheduledExecutorService timer;

    public Housekeeping(JobStore store, Clock clock, Log log) {
        this.store = store;
        this.clock = clock;
        this.log = log;
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "clf-housekeeping");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts the schedule; {@code reapInterval} null means no reaps (cattle disabled). */
    public void start(Duration reapInterval) {
        if (reapInterval != null) {
            long ms = reapInterval.toMillis();
            timer.scheduleAtFixedRate(() -> enqueue(JobKind.CATTLE_REAP.wireName(), "{\"dryRun\":false}",
                    REAP_PRIORITY, reapInterval), ms, ms, TimeUnit.MILLISECONDS);
        }
        long day = Duration.ofDays(1).toMillis();
        timer.scheduleAtFixedRate(() -> enqueue(PruneHandler.KIND, "{}", 0, Duration.ofDays(1)),
                Duration.ofMinutes(1).toMillis(), day, TimeUnit.MILLISECONDS);
    }

    private void enqueue(String kind, String payload, int priority, Duration slot) {
        long slotNumber = clock.millis() / slot.toMillis();
        try {
            var result = store.enqueue(NewJob.of(kind, REQUESTER, payload).withPriority(priority)
                    .withIdempotencyKey(kind + "-" + slotNumber));
            if (!result.deduped()) {
                log.info("housekeeping.enqueued", "kind", kind, "job", result.jobId());
            }
        } catch (RuntimeException e) {
            log.error("housekeeping.enqueue-failed", "kind", kind, "error", e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
