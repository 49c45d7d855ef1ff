package clf.queue;

import java.time.Instant;

/**
 * One entry of a job's history. The queue writes one for every transition (see
 * {@link JobEvent#ENQUEUE} and its siblings); handlers may add their own with
 * {@link JobStore#recordEvent}.
 *
 * @param attempt the job's attempt number when it happened
 */
public record JobEvent(long id, String jobId, Instant at, String type, String message, int attempt) {
    public static final String ENQUEUE = "enqueue";
    public static final String CLAIM = "claim";
    /** A lease ran out without a heartbeat; the job went back to the queue. */
    public static final String RECLAIM = "reclaim";
    public static final String RETRY = "retry";
    public static final String ACK = "ack";
    public static final String FAIL = "fail";
    public static final String CANCEL_REQUESTED = "cancel-requested";
    public static final String CANCEL = "cancel";
    /** A worker stopping for shutdown gave the job back without using up an attempt. */
    public static final String RELEASE = "release";
}
