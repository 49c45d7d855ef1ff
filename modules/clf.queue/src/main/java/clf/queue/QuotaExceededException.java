package clf.queue;

/**
 * An enqueue would take its requester past one of its {@link EnqueueRules}; nothing was stored.
 * The message says which limit, what it is, and where the requester stands.
 */
public final class QuotaExceededException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Which of the {@link EnqueueRules} was hit. */
    public enum Quota {
        /** {@link EnqueueRules#maxActive()}: queued and running jobs. */
        ACTIVE_JOBS,
        /** {@link EnqueueRules#maxQueuedPayloadBytes()}: bytes of queued payload. */
        QUEUED_PAYLOAD_BYTES
    }

    private final Quota quota;
    private final long limit;

    public QuotaExceededException(Quota quota, long limit, String message) {
        super(message);
        this.quota = quota;
        this.limit = limit;
    }

    public Quota quota() {
        return quota;
    }

    public long limit() {
        return limit;
    }
}
