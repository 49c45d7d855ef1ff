package clf.queue;

/**
 * @param outcome what the cancel did
 * @param status  the job's status afterwards ({@code null} when not found)
 */
public record CancelResult(Outcome outcome, JobStatus status) {
    public enum Outcome {
        /** It was queued and is now {@code canceled}. */
        CANCELED,
        /** It is running; its worker has been asked to stop and will end it {@code canceled}. */
        CANCEL_REQUESTED,
        /** It already ended; nothing changed. */
        NOT_CANCELABLE,
        NOT_FOUND
    }
}
