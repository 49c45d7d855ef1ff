package clf.server.internal.http;

/**
 * A bot asked for more than its share (issue 11): answered 429 {@code quota_exceeded}, naming the
 * limit, with {@code Retry-After} when waiting is what helps.
 *
 * @see clf.server.internal.config.RequesterLimits
 */
final class QuotaRefusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String variable;
    private final long limit;
    private final String unit;
    private final long retryAfterSeconds;

    /**
     * @param variable          the setting that holds the limit, e.g. {@code CLF_MAX_ACTIVE_PER_REQUESTER}
     * @param retryAfterSeconds 0: no time to suggest (the limit frees up when jobs end or start)
     */
    QuotaRefusal(String message, String variable, long limit, String unit, long retryAfterSeconds) {
        super(message);
        this.variable = variable;
        this.limit = limit;
        this.unit = unit;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    String variable() {
        return variable;
    }

    long limit() {
        return limit;
    }

    String unit() {
        return unit;
    }

    long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
