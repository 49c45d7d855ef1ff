package clf.queue;

/**
 * @param jobId   the new job, or the existing one for the same (requester, idempotency key)
 * @param deduped {@code true} when nothing new was stored
 */
public record EnqueueResult(String jobId, boolean deduped) {
}
