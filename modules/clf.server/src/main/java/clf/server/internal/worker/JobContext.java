package clf.server.internal.worker;

import clf.queue.Job;
import clf.queue.JobStore;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/** What a handler knows about the job it runs, and how it learns it must stop. */
public final class JobContext {
    /** Why a running job must stop before it finishes. */
    public enum Stop {
        /** Someone canceled it: the handler undoes what it did (e.g. deletes the server). */
        CANCELED,
        /** Another worker may have it now: stop touching the world for it. */
        LEASE_LOST,
        /** The daemon is stopping: the job goes back to the queue and runs again later. */
        SHUTDOWN
    }

    /** The job this thread's handler runs, for what learns of it only by thread (see {@link #current}). */
    private static final ThreadLocal<JobContext> CURRENT = new ThreadLocal<>();

    private final Job job;
    private final JobStore store;
    private final Thread thread;
    private final AtomicReference<Stop> stop = new AtomicReference<>();
    /** Until when the store holds the job for this worker, as far as this worker knows. */
    private volatile Instant leaseUntil;
    /** Whether the handler still runs on {@link #thread}; guarded by this. */
    private boolean handlerRunning = true;
    /** Whether the handler is inside {@link #uninterrupted}; guarded by this. */
    private boolean uninterrupted;

    JobContext(Job job, JobStore store, Thread thread) {
        this.job = job;
        this.store = store;
        this.thread = thread;
        this.leaseUntil = job.leaseUntil();
    }

    public Job job() {
        return job;
    }

    /** Throws {@link JobStopped} if the job must stop; call it between steps. */
    public void checkpoint() throws JobStopped {
        Stop reason = stop.get();
        if (reason != null) {
            throw new JobStopped(reason);
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new JobStopped(Stop.SHUTDOWN);
        }
    }

    /**
     * Runs {@code call}, which a stop must not cut short: a call whose answer the handler needs to
     * undo the job, such as the create that names the server it made. A stop meanwhile is only
     * recorded (the next {@link #checkpoint()} throws); it does not interrupt the call.
     *
     * @throws JobStopped if the job must stop already: then {@code call} is not made
     */
    public <T> T uninterrupted(Callable<T> call) throws Exception {
        synchronized (this) {
            // Checked under the lock stop() takes: a stop either came before (no call is made) or
            // comes after, and then does not interrupt.
            checkpoint();
            uninterrupted = true;
        }
        try {
            return call.call();
        } finally {
            synchronized (this) {
                uninterrupted = false;
            }
        }
    }

    /** Why the job must stop, or null. */
    public Stop stopReason() {
        return stop.get();
    }

    /** Adds an event of the handler's own to the job's history. */
    public void recordEvent(String type, String message) {
        store.recordEvent(job.id(), type, message);
    }

    /** The heartbeat renewed the lease; it now runs at least until {@code until}. */
    void leaseRenewedUntil(Instant until) {
        leaseUntil = until;
    }

    /**
     * Whether the handler still runs a job that is no longer its own: the lease was lost, or ran
     * out without being renewed (the heartbeat cannot reach the store). Another worker may take
     * the job meanwhile.
     */
    boolean pastItsLease(Instant now) {
        Instant until = leaseUntil;
        return stop.get() == Stop.LEASE_LOST || (until != null && now.isAfter(until));
    }

    /**
     * Asks the handler to stop; the first reason wins. Interrupts it so a wait ends too, unless
     * the handler has returned: the heartbeat may learn the lease is gone only after the job
     * ended, and by then the thread runs the next job, which must not be cut short. Nor is a call
     * made {@link #uninterrupted} interrupted.
     */
    void stop(Stop reason) {
        if (stop.compareAndSet(null, reason)) {
            synchronized (this) {
                if (handlerRunning && !uninterrupted) {
                    thread.interrupt();
                }
            }
        }
    }

    /** The handler returned; called on its thread, which then clears any interrupt sent before. */
    /**
     * The job whose handler runs on this thread, or null: for a party that cannot be handed the
     * context, such as the Hetzner client telling why a call waits.
     */
    public static JobContext current() {
        return CURRENT.get();
    }

    /** {@code call} made on another thread (a handler's own pool) as part of this job, for {@link #current}. */
    public <T> Callable<T> onItsBehalf(Callable<T> call) {
        return () -> {
            JobContext before = CURRENT.get();
            bind(this);
            try {
                return call.call();
            } finally {
                bind(before);
            }
        };
    }

    static void bind(JobContext context) {
        if (context == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(context);
        }
    }

    synchronized void handlerReturned() {
        handlerRunning = false;
    }
}
