package clf.hetzner.internal;

import clf.hetzner.BudgetWait;
import clf.hetzner.CallClass;
import clf.hetzner.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Keeps a share of the rate limit for {@link CallClass#ESSENTIAL} calls. It follows the budget
 * from the {@code RateLimit-Limit} and {@code RateLimit-Remaining} headers of every answer, less
 * the calls sent since, and lets it refill between answers as Hetzner's bucket does: by
 * {@code Limit} per hour, evenly. An ordinary call goes while that estimate is at least the reserve, else it waits
 * until the estimate reaches it. Without headers seen yet, or with a reserve of 0, nothing waits.
 * Shared by every view of one client; thread-safe.
 */
public final class RateReserve {
    /** Longest single sleep: the estimate is taken again after it (answers to essential calls correct it). */
    private static final long MAX_SLEEP_MS = 10_000;
    private static final long MIN_SLEEP_MS = 50;

    private volatile int percent;
    private volatile Consumer<BudgetWait> onWait = wait -> { };
    private long limit = -1;
    private double remaining;
    private long atMs;

    /** Sets the reserve in percent of {@code RateLimit-Limit} (0 to 100) and who is told of waits. */
    public void configure(int reservePercent, Consumer<BudgetWait> listener) {
        if (reservePercent < 0 || reservePercent > 100) {
            throw new IllegalArgumentException("reservePercent: 0 to 100, got " + reservePercent);
        }
        this.percent = reservePercent;
        this.onWait = listener == null ? wait -> { } : listener;
    }

    /** An answer's headers: the budget as Hetzner sees it now. */
    synchronized void observe(RateLimitWait.RateLimitHeaders headers, long nowMs) {
        if (headers.limit().isEmpty() || headers.remaining().isEmpty() || headers.limit().getAsLong() <= 0) {
            return;
        }
        limit = headers.limit().getAsLong();
        remaining = headers.remaining().getAsLong();
        atMs = nowMs;
    }

    /** Waits while {@code callClass} may not go; then counts the call as spent. */
    void awaitTurn(CallClass callClass, ApiCall call, Clock clock, Sleeper sleeper) throws InterruptedException {
        boolean told = false;
        while (true) {
            long waitMs;
            long reserve;
            long left;
            synchronized (this) {
                long now = clock.millis();
                reserve = reserve();
                double estimate = estimate(now);
                if (callClass == CallClass.ESSENTIAL || reserve == 0 || estimate >= reserve) {
                    take(now, estimate);
                    return;
                }
                waitMs = untilReserve(estimate, reserve);
                left = (long) Math.floor(estimate);
            }
            if (!told) {
                told = true;
                onWait.accept(new BudgetWait(call.method() + " " + call.path(), limit, left, reserve,
                        Duration.ofMillis(waitMs)));
            }
            sleeper.sleep(Duration.ofMillis(Math.min(waitMs, MAX_SLEEP_MS)));
        }
    }

    private long reserve() {
        return limit <= 0 ? 0 : (limit * percent + 99) / 100;
    }

    /** Requests per millisecond the budget refills by: {@code RateLimit-Limit} per hour. */
    private double rate() {
        return limit / 3_600_000.0;
    }

    /** The budget now: the last answer's, less calls sent since, refilled since at the hourly rate. */
    private double estimate(long now) {
        if (limit < 0) {
            return Double.MAX_VALUE;
        }
        return Math.min(limit, remaining + Math.max(0, now - atMs) * rate());
    }

    private void take(long now, double estimate) {
        if (limit >= 0) {
            remaining = Math.max(0, estimate - 1); // re-based on now, so the refill so far counts once
            atMs = now;
        }
    }

    private long untilReserve(double estimate, long reserve) {
        return Math.max(MIN_SLEEP_MS, (long) Math.ceil((reserve - estimate) / rate()));
    }
}
