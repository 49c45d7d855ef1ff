package clf.server.internal.cattle.capacity;

import clf.hetzner.BudgetWait;
import clf.hetzner.HetznerClient;
import clf.server.internal.log.Log;
import clf.server.internal.worker.JobContext;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The daemon's share of the Hetzner rate limit: {@code CLF_HETZNER_RESERVE_PERCENT} of it is kept
 * for its own clean-up (the periodic and operators' reaps, deletes of failed spawns' servers);
 * under it, every other call waits, and the job it waits for says so in its events.
 */
public final class HetznerBudget {
    /** The event of a job whose Hetzner call waits for the budget. */
    public static final String WAIT_EVENT = "cattle.hetzner-budget-wait";
    private static final long LOG_EVERY_NANOS = 60_000_000_000L;

    private HetznerBudget() {
    }

    public static void apply(HetznerClient hetzner, int reservePercent, Log log) {
        AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);
        hetzner.reserveForEssential(reservePercent, wait -> {
            JobContext job = JobContext.current();
            if (job != null) {
                job.recordEvent(WAIT_EVENT, describe(wait, reservePercent));
            }
            long now = System.nanoTime();
            long last = lastLogged.get();
            if (now - last >= LOG_EVERY_NANOS && lastLogged.compareAndSet(last, now)) {
                log.info("cattle.hetzner-budget-low", "remaining", wait.remaining(), "limit", wait.limit(),
                        "reserve", wait.reserve(), "effect", "only the daemon's reaps and deletes go out; other"
                                + " Hetzner calls wait (logged at most once a minute)");
            }
        });
    }

    static String describe(BudgetWait wait, int reservePercent) {
        return wait.call() + " waits about " + Math.max(1, (wait.expectedWait().toMillis() + 999) / 1000)
                + " s: the Hetzner rate limit has " + wait.remaining() + " of " + wait.limit()
                + " requests an hour left, under the " + wait.reserve() + " (" + reservePercent
                + " %, CLF_HETZNER_RESERVE_PERCENT) kept for the daemon's own reaps and deletes";
    }
}
