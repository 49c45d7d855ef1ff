package clf.server.internal.wire;

import clf.protocol.WireStatus;
import clf.queue.JobStatus;

/**
 * The one place where the queue's job statuses meet protocol v1's: the CLI knows only
 * {@link WireStatus}, the store only {@link JobStatus}. They are the same five by name, which
 * {@code StatusesTest} checks, so a status added to one and not the other fails the build.
 */
public final class Statuses {
    private Statuses() {
    }

    public static WireStatus toWire(JobStatus status) {
        return WireStatus.valueOf(status.name());
    }

    public static JobStatus fromWire(WireStatus status) {
        return JobStatus.valueOf(status.name());
    }
}
