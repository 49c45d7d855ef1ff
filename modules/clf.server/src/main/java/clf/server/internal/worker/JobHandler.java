package clf.server.internal.worker;

/**
 * Runs the jobs of one kind. A handler is called on a worker thread with the job claimed under
 * a lease that the pool keeps renewing. It should check {@link JobContext#checkpoint()} between
 * steps (and react to interruption while it waits) so cancellation and shutdown reach it.
 */
public interface JobHandler {
    /** The job kind this handler runs, e.g. {@code cattle.spawn}. */
    String kind();

    /**
     * Does the job.
     *
     * @return the result as JSON text, or null for none
     * @throws PermanentFailure when another attempt cannot succeed (bad input)
     * @throws Exception        any other failure: the job is retried while attempts remain
     */
    String run(JobContext context) throws Exception;

    /**
     * Undoes a run that ended without seeing its job's cancel: the cancel reached the store after
     * the handler's last {@link JobContext#checkpoint()}, and the run returned (or failed) before
     * it was told. The job ends {@code canceled} right after, so what the run made must not
     * outlive it (a spawn deletes its server). Called on the worker thread, never interrupted.
     *
     * @param result what the run returned, or null if it failed
     */
    default void undoCanceled(JobContext context, String result) throws Exception {
    }
}
