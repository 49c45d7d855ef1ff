package clf.server.internal.wire;

import clf.protocol.WireStatus;
import clf.queue.JobStatus;
import java.util.Arrays;

/**
 * The one place where the queue's job statuses meet protocol v1's: the CLI knows only
 * {@link WireStatus}, the store only {@link JobStatus}. They are the same five by name, which
 * {@code StatusesTest} checks, so a status added to one and not the other fails the build.
 */
public final class Statuses {
    /** {@link #toWire} by the queue status's ordinal: every job a show or list answers is mapped. */
    private static final WireStatus[] TO_WIRE = Arrays.stream(JobStatus.values())
            .map(status -> WireStatus.valueOf(status.name())).toArray(WireStatus[]::new);

    private Statuses() {
    }

    public static WireStatus toWire(JobStatus status) {
        return TO_WIRE[status.ordinal()];
    }

    public static JobStatus fromWire(WireStatus status) {
        return JobStatus.valueOf(status.name());
    }
}
