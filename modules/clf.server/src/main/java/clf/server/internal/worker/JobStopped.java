package clf.server.internal.worker;

/** Thrown by {@link JobContext#checkpoint()} when the job must stop: canceled, lease lost, or shutdown. */
public final class JobStopped extends Exception {
    private static final long serialVersionUID = 1L;

    private final JobContext.Stop reason;

    JobStopped(JobContext.Stop reason) {
        super("job stopped: " + reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        this.reason = reason;
    }

    public JobContext.Stop reason() {
        return reason;
    }
}
