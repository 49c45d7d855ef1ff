package clf.hetzner;

import java.util.OptionalLong;

/**
 * Counters of one {@link HetznerClient} since it was created, for metrics. Every HTTP exchange
 * counts once, retries included.
 *
 * @param success            2xx answers
 * @param clientErrors       4xx answers other than 429 (and any unexpected 1xx/3xx)
 * @param rateLimited        429 answers
 * @param serverErrors       5xx answers
 * @param transportFailures  requests that got no answer (timeout, refused, reset)
 * @param rateLimitLimit     {@code RateLimit-Limit} of the last answer that had it
 * @param rateLimitRemaining {@code RateLimit-Remaining} of the last answer that had it
 */
public record ClientStats(long success, long clientErrors, long rateLimited, long serverErrors,
                          long transportFailures, OptionalLong rateLimitLimit, OptionalLong rateLimitRemaining) {

    /** All exchanges, answered or not. */
    public long requests() {
        return success + clientErrors + rateLimited + serverErrors + transportFailures;
    }
}
