package clf.hetzner;

import java.util.Collections;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Counters of one {@link HetznerClient} since it was created, for metrics. Every HTTP exchange
 * counts once, retries included.
 *
 * @param answers            answered requests by HTTP status code
 * @param transportFailures  requests that got no answer (timeout, refused, reset)
 * @param rateLimitLimit     {@code RateLimit-Limit} of the last answer that had it (requests per hour)
 * @param rateLimitRemaining {@code RateLimit-Remaining} of the last answer that had it
 * @param rateLimitReset     {@code RateLimit-Reset} of the last answer that had it: Unix seconds when
 *                           the budget is full again
 */
public record ClientStats(SortedMap<Integer, Long> answers, long transportFailures, OptionalLong rateLimitLimit,
                          OptionalLong rateLimitRemaining, OptionalLong rateLimitReset) {

    public ClientStats {
        answers = Collections.unmodifiableSortedMap(new TreeMap<>(answers));
    }

    /** 2xx answers. */
    public long success() {
        return answered(200, 299);
    }

    /** 4xx answers other than 429, and any unexpected 1xx/3xx (redirects are not followed). */
    public long clientErrors() {
        return answered(100, 199) + answered(300, 428) + answered(430, 499);
    }

    /** 429 answers. */
    public long rateLimited() {
        return answered(429, 429);
    }

    /** 5xx answers. */
    public long serverErrors() {
        return answered(500, 599);
    }

    /** All exchanges, answered or not. */
    public long requests() {
        return answered(0, Integer.MAX_VALUE) + transportFailures;
    }

    private long answered(int lowest, int highest) {
        return answers.entrySet().stream()
                .filter(answer -> answer.getKey() >= lowest && answer.getKey() <= highest)
                .mapToLong(Map.Entry::getValue)
                .sum();
    }
}
