package clf.queue;

import clf.protocol.InvalidInputException;

/**
 * Limits one enqueue is held to, checked in the transaction that stores the job, so that
 * concurrent enqueues of one requester can never together pass a limit. A job the store answers
 * with {@code deduped = true} stores nothing and is never refused by these.
 *
 * @param maxActive             the requester's queued and running jobs, this one included, at most
 * @param maxQueuedPayloadBytes the UTF-8 bytes of the payloads of its queued jobs, this one included, at most
 * @param onePerKindQueued      while the requester has a queued job of this kind with the same payload,
 *                              that job is the answer ({@code deduped = true}) instead of a new one
 */
public record EnqueueRules(int maxActive, long maxQueuedPayloadBytes, boolean onePerKindQueued) {
    /** No limits and no folding: what {@link JobStore#enqueue(NewJob)} applies. */
    public static final EnqueueRules NONE = new EnqueueRules(Integer.MAX_VALUE, Long.MAX_VALUE, false);

    public EnqueueRules {
        if (maxActive < 1) {
            throw new InvalidInputException("maxActive", "1 or more", maxActive);
        }
        if (maxQueuedPayloadBytes < 1) {
            throw new InvalidInputException("maxQueuedPayloadBytes", "1 or more", maxQueuedPayloadBytes);
        }
    }

    public EnqueueRules withOnePerKindQueued(boolean fold) {
        return new EnqueueRules(maxActive, maxQueuedPayloadBytes, fold);
    }
}
