package clf.queue;

import java.time.Instant;
import java.util.Optional;

/**
 * One job as stored.
 *
 * @param id              UUID assigned at enqueue
 * @param idempotencyKey  {@code null} when the job was enqueued without one
 * @param attempt         how many times it was claimed (0 until the first claim)
 * @param lockedBy        the worker holding it; {@code null} unless {@link JobStatus#RUNNING}
 * @param leaseUntil      when that worker's lease ends; {@code null} unless running
 * @param lastError       the last failure text, {@code ""} if none
 * @param resultJson      the handler's result as JSON text; {@code null} until done
 * @param cancelRequested a cancel arrived while it was running; its worker ends it
 */
public record Job(
        String id,
        String kind,
        String requester,
        String payloadJson,
        String idempotencyKey,
        JobStatus status,
        int priority,
        Instant runAt,
        Instant createdAt,
        Instant updatedAt,
        int attempt,
        int maxAttempts,
        String lockedBy,
        Instant leaseUntil,
        String lastError,
        String resultJson,
        boolean cancelRequested) {

    public Optional<String> result() {
        return Optional.ofNullable(resultJson);
    }
}
