package clf.hetzner.internal.sim;

import java.time.Duration;
import java.time.Instant;

/**
 * Faults injected into the simulator's answers, consumed request by request in this order:
 * rate limits (a count or a time window), then error answers (a count), then held answers (a
 * count; the request is processed and its answer delayed, like an answer lost to a client
 * timeout). A fixed latency applies to every answer. Synchronised.
 */
public final class Faults {
    private int rateLimitedRequests;
    private Duration rateLimitResetIn = Duration.ZERO;
    private Instant rateLimitedUntil = Instant.MIN;
    private int failingRequests;
    private int failStatus;
    private String failCode;
    private String failMessage;
    private int heldRequests;
    private Duration hold = Duration.ZERO;
    private Duration latency = Duration.ZERO;
    private boolean stuckPagination;

    /** What to do with one request. */
    public record Decision(Instant rateLimitResetAt, SimError failure, Duration delay) {
        public boolean rateLimited() {
            return rateLimitResetAt != null;
        }
    }

    public synchronized void rateLimitNext(int requests, Duration resetIn) {
        rateLimitedRequests = requests;
        rateLimitResetIn = resetIn;
    }

    public synchronized void rateLimitUntil(Instant until) {
        rateLimitedUntil = until;
    }

    public synchronized void failNext(int requests, int status, String code, String message) {
        failingRequests = requests;
        failStatus = status;
        failCode = code;
        failMessage = message;
    }

    public synchronized void holdNext(int requests, Duration duration) {
        heldRequests = requests;
        hold = duration;
    }

    public synchronized void setLatency(Duration duration) {
        latency = duration;
    }

    public synchronized void setStuckPagination(boolean stuck) {
        stuckPagination = stuck;
    }

    public synchronized boolean stuckPagination() {
        return stuckPagination;
    }

    public synchronized void clear() {
        rateLimitedRequests = 0;
        rateLimitedUntil = Instant.MIN;
        failingRequests = 0;
        heldRequests = 0;
        latency = Duration.ZERO;
        stuckPagination = false;
    }

    public synchronized Decision next(Instant now) {
        Duration delay = latency;
        if (rateLimitedRequests > 0) {
            rateLimitedRequests--;
            return new Decision(now.plus(rateLimitResetIn), null, delay);
        }
        if (now.isBefore(rateLimitedUntil)) {
            return new Decision(rateLimitedUntil, null, delay);
        }
        if (failingRequests > 0) {
            failingRequests--;
            return new Decision(null, new SimError(failStatus, failCode, failMessage, null), delay);
        }
        if (heldRequests > 0) {
            heldRequests--;
            delay = delay.plus(hold);
        }
        return new Decision(null, null, delay);
    }
}
