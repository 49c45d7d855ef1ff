package clf.queue;

/** What a worker learns when it renews its lease. */
public enum LeaseStatus {
    /** Renewed; carry on. */
    HELD,
    /** Renewed, but someone asked to cancel the job: stop and end it with {@link JobStore#finishCanceled}. */
    CANCEL_REQUESTED,
    /** The job is no longer this worker's; stop without acking. */
    LOST
}
