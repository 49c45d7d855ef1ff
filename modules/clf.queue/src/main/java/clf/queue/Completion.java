package clf.queue;

/** How a worker's attempt to end or give back a job turned out. */
public enum Completion {
    /** The job is {@code done}. */
    DONE,
    /** The attempt failed and the job waits for another one. */
    RETRY_SCHEDULED,
    /** The attempt failed and it was the last one; the job is {@code failed}. */
    FAILED,
    /** A cancel had been requested, so the job ended {@code canceled}. */
    CANCELED,
    /**
     * Nothing changed: a cancel was requested before the job could end done or failed (or be given
     * back). The worker undoes what the job did (its handler had not seen the cancel), then ends it
     * with {@link JobStore#finishCanceled}, so a canceled job never passes for done.
     */
    CANCEL_REQUESTED,
    /** The job is back in the queue without an attempt used up (shutdown). */
    RELEASED,
    /** The worker no longer holds the job: its lease ran out and it was taken back. Nothing changed. */
    LEASE_LOST,
    /** There is no such job. */
    NOT_FOUND
}
