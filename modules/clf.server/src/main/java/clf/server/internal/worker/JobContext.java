package clf.server.internal.worker;

import clf.queue.Job;
import clf.queue.JobStore;
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

    private final Job job;
    private final JobStore store;
    private final Thread thread;
    private final AtomicReference<Stop> stop = new AtomicReference<>();

    JobContext(Job job, JobStore store, Thread thread) {
        this.job = job;
        this.store = store;
        this.thread = thread;
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

    /** Why the job must stop, or null. */
    public Stop stopReason() {
        return stop.get();
    }

    /** Adds an event of the handler's own to the job's history. */
    public void recordEvent(String type, String message) {
        store.recordEvent(job.id(), type, message);
    }

    /** Asks the handler to stop; the first reason wins. Interrupts it so a wait ends too. */
    void stop(Stop reason) {
        if (stop.compareAndSet(null, reason)) {
            thread.interrupt();
        }
    }
}
