package clf.server.internal.worker;

import clf.protocol.StatusReport;
import clf.queue.Completion;
import clf.queue.Job;
import clf.queue.JobStore;
import clf.queue.LeaseStatus;
import clf.server.internal.log.Log;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * N worker threads that claim jobs of the kinds with a handler, run them under a lease that a
 * heartbeat renews, and end them (done, retry, failed, canceled). A worker that dies is logged
 * and replaced. A cancel reaches a running handler at once when it comes through this process
 * ({@link #cancelRequested}), and within the poll interval when another process records it (the
 * cancel watch: one indexed query for this process's workers' jobs). {@link #shutdown} stops
 * claiming, gives running handlers a grace period, then stops the rest and releases their jobs
 * so they run again after the restart.
 *
 * <p>Idle workers do not all poll: the others wait for a wake (an enqueue here or, on PostgreSQL,
 * on any host; or a claim, which wakes one more worker in case more jobs are due) with a long
 * fallback, and one of them (the lead) sleeps until the store's {@link JobStore#nextDue} (a job
 * scheduled for later or retrying after its backoff, a lease that runs out). Every poll interval
 * it only asks whether anything was committed since it looked ({@link JobStore#changeStamp}: on
 * SQLite a counter in shared memory, which also sees another process's jobs on the same file),
 * and claims only then; where the store cannot tell (PostgreSQL, where another host's job due
 * later sends no wake), it claims every poll interval. Running jobs' leases are renewed and
 * watched for cancels by timers that run only while a job runs. An idle daemon so costs one
 * cheap read per poll interval, not a claim per worker.
 */
public final class WorkerPool {
    /** How long an idle worker that is not the lead sleeps when nothing wakes it. */
    static final Duration FOLLOWER_FALLBACK = Duration.ofMinutes(1);
    /** How soon the lead claims again when the store's next due time has already passed. */
    private static final long PAST_DUE_RETRY_MS = 100;

    private final JobStore store;
    private final Map<String, JobHandler> handlers = new ConcurrentHashMap<>();
    /** The kinds claimed: those with a handler; a copy, replaced when handlers are added. */
    private volatile Set<String> kinds;
    private final Settings settings;
    private final Log log;
    private final String workerIdPrefix;
    private final Clock clock;
    private final JobTimings timings;
    private final Object wakeUp = new Object();
    private final AtomicBoolean leadTaken = new AtomicBoolean();
    /** Wakes no idle worker was waiting for (it was claiming): the next to idle looks again instead. */
    private int pendingWakes; // guarded by wakeUp
    /** A job of this process ended since the lead computed its next due time. */
    private boolean recheck; // guarded by wakeUp
    private final Map<String, JobContext> running = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final ScheduledExecutorService heartbeat;
    /** The lease renewal and cancel watch, scheduled while some job runs. */
    private final Object timersLock = new Object();
    private List<ScheduledFuture<?>> timers = List.of(); // guarded by timersLock
    private final RepeatedFailure claimFailures;
    private final RepeatedFailure heartbeatFailures;
    private final RepeatedFailure cancelWatchFailures;
    private volatile boolean stopping;
    /** Whether the worker threads were started (the cattle side's handlers come first). */
    private boolean started; // guarded by this

    /**
     * @param concurrency  worker threads
     * @param poll         longest sleep when nothing is due (an enqueue wakes workers sooner), and how
     *                     often running jobs are checked for a cancel made by another process
     * @param lease        how long a claim holds a job without renewal
     * @param leaseRefresh how often running jobs' leases are renewed
     */
    public record Settings(int concurrency, Duration poll, Duration lease, Duration leaseRefresh) {
    }

    /** @param clock tells when a running job's lease has run out (the store's clock) */
    public WorkerPool(JobStore store, List<JobHandler> handlers, Settings settings, Log log, String workerIdPrefix,
            Clock clock) {
        this.store = store;
        handlers.forEach(handler -> this.handlers.put(handler.kind(), handler));
        this.kinds = Set.copyOf(this.handlers.keySet());
        this.settings = settings;
        this.log = log;
        this.workerIdPrefix = workerIdPrefix;
        this.clock = clock;
        this.timings = new JobTimings(new TreeSet<>(this.handlers.keySet()));
        this.claimFailures = new RepeatedFailure(log, clock, "worker.claim-failed", "worker.claim-recovered");
        this.heartbeatFailures = new RepeatedFailure(log, clock, "worker.heartbeat-failed",
                "worker.heartbeat-recovered");
        this.cancelWatchFailures = new RepeatedFailure(log, clock, "worker.cancel-watch-failed",
                "worker.cancel-watch-recovered");
        // Two threads: a renewal waiting for the write lock must not hold up the cancel watch.
        this.heartbeat = Executors.newScheduledThreadPool(2, task -> {
            Thread thread = new Thread(task, "clf-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
    }

    public Set<String> kinds() {
        return kinds;
    }

    /**
     * Adds handlers of kinds that could not run before (the cattle side starts behind the bot
     * socket): from now on their jobs are claimed, and idle workers look at once.
     */
    public void addHandlers(List<JobHandler> more) {
        more.forEach(handler -> {
            handlers.put(handler.kind(), handler);
            timings.add(handler.kind());
        });
        kinds = Set.copyOf(handlers.keySet());
        log.info("workers.kinds-added", "kinds", more.stream().map(JobHandler::kind).sorted()
                .collect(Collectors.joining(",")));
        wakeAll();
    }

    public synchronized void start() {
        if (handlers.isEmpty()) {
            log.warn("workers.idle", "reason", "no job handlers are registered; jobs stay queued");
            return;
        }
        for (int i = 0; i < settings.concurrency(); i++) {
            startWorker(i);
        }
        started = true;
        log.info("workers.started", "count", settings.concurrency(), "kinds", String.join(",", new TreeSet<>(kinds())));
    }

    private synchronized void startWorker(int index) {
        String workerId = workerIdPrefix + "-" + index;
        Thread thread = new Thread(() -> workLoop(workerId), "clf-worker-" + index);
        thread.setUncaughtExceptionHandler((dead, error) -> {
            log.error("worker.died", "worker", workerId, "error", error.toString());
            if (!stopping) {
                // Logged first: the new worker may finish a job before this thread runs again.
                log.info("worker.replaced", "worker", workerId);
                startWorker(index);
            }
        });
        if (threads.size() > index) {
            threads.set(index, thread);
        } else {
            threads.add(thread);
        }
        thread.start();
    }

    /** Tells one idle worker that a job may be due now (one job needs one worker). */
    public void wake() {
        synchronized (wakeUp) {
            pendingWakes = Math.min(pendingWakes + 1, settings.concurrency());
            wakeUp.notify();
        }
    }

    private void wakeAll() {
        synchronized (wakeUp) {
            pendingWakes = settings.concurrency();
            wakeUp.notifyAll();
        }
    }

    private void workLoop(String workerId) {
        boolean lead = false;
        try {
            while (!stopping) {
                // Taken before the claim: whatever is committed after it is news to the idle lead.
                OptionalLong stamp = lead || !leadTaken.get() ? changeStamp() : OptionalLong.empty();
                Optional<Job> claimed;
                try {
                    claimed = store.claimNext(workerId, kinds(), settings.lease());
                } catch (RuntimeException e) {
                    // E.g. the disk is full: no use asking again at once, nor logging each time.
                    claimFailures.failed("worker", workerId, "error", e.getMessage());
                    idle(claimFailures.pause(settings.poll()));
                    continue;
                }
                claimFailures.succeeded();
                if (claimed.isEmpty()) {
                    lead = lead || leadTaken.compareAndSet(false, true);
                    if (lead) {
                        leadIdle(stamp);
                    } else {
                        idle(FOLLOWER_FALLBACK);
                    }
                    continue;
                }
                if (lead) {
                    lead = false;
                    leadTaken.set(false); // the next worker to find nothing polls instead
                }
                wake(); // more jobs may be due: one more idle worker looks
                run(workerId, claimed.get());
            }
        } finally {
            if (lead) {
                leadTaken.set(false); // a dying lead hands polling on to its replacement
            }
        }
    }

    /**
     * The lead's sleep after a claim found nothing: until a wake, until the store's next due time,
     * or until a poll finds that something was committed since {@code stamp} (taken before that
     * claim). Without a stamp (the store cannot tell), one poll interval, as a plain poll.
     */
    private void leadIdle(OptionalLong stamp) {
        if (stamp.isEmpty()) {
            idle(settings.poll());
            return;
        }
        Instant due;
        try {
            due = store.nextDue().orElse(null);
        } catch (RuntimeException e) {
            idle(settings.poll()); // the next claim reports a store that fails
            return;
        }
        long pollMs = Math.max(1, settings.poll().toMillis());
        while (!stopping) {
            long untilDue = due == null ? Long.MAX_VALUE : due.toEpochMilli() - clock.millis();
            if (untilDue <= 0) {
                // Already due yet not claimed: a lease that ran out just after the claim's sweep
                // (claims sweep at most every 100 ms), or a job of a kind this pool does not run.
                idle(Duration.ofMillis(Math.min(pollMs, PAST_DUE_RETRY_MS)));
                return;
            }
            // One millisecond past the due time: the store compares whole milliseconds of its clock.
            boolean dueFirst = untilDue < pollMs;
            if (idle(Duration.ofMillis(dueFirst ? untilDue + 1 : pollMs), true)) {
                return; // woken: a job came
            }
            if (dueFirst) {
                return; // the due time has come
            }
            OptionalLong now = changeStamp();
            if (now.isEmpty() || now.getAsLong() != stamp.getAsLong()) {
                return; // something was committed: a claim may find it
            }
        }
    }

    /** The store's change stamp; empty (claim every poll) when it cannot be read. */
    private OptionalLong changeStamp() {
        try {
            return store.changeStamp();
        } catch (RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** Waits up to {@code pause} for a wake; true if a wake (not the time) ended the wait. */
    private boolean idle(Duration pause) {
        return idle(pause, false);
    }

    /**
     * Waits up to {@code pause} for a wake (the lead also for a {@link #recheck}); true if one
     * (not the time) ended the wait. Other notifications do not end it.
     */
    private boolean idle(Duration pause, boolean lead) {
        boolean woken = false;
        synchronized (wakeUp) {
            long deadline = System.nanoTime() + Math.max(1, pause.toMillis()) * 1_000_000;
            while (true) {
                if (stopping) {
                    woken = true;
                    break;
                }
                if (pendingWakes > 0) {
                    // A job came (perhaps while this worker was claiming: waiting would sleep through it).
                    pendingWakes--;
                    woken = true;
                    break;
                }
                if (lead && recheck) {
                    recheck = false;
                    woken = true;
                    break;
                }
                long leftMs = (deadline - System.nanoTime() + 999_999) / 1_000_000; // never wakes early
                if (leftMs <= 0) {
                    break;
                }
                try {
                    wakeUp.wait(leftMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        Thread.interrupted(); // an interrupt meant for an earlier job must not reach the next one
        return woken;
    }

    /**
     * Tells the idle lead that a job of this process ended (a retry now waits out its backoff, a
     * lease is gone): it looks again at when the next job is due. Followers sleep on.
     */
    private void recheck() {
        synchronized (wakeUp) {
            recheck = true;
            wakeUp.notifyAll();
        }
    }

    private void run(String workerId, Job job) {
        timings.claimed(job);
        JobHandler handler = handlers.get(job.kind());
        JobContext context = new JobContext(job, store, Thread.currentThread());
        synchronized (timersLock) {
            running.put(workerId, context);
            if (timers.isEmpty()) {
                // Lease renewal and the cancel watch run only while a job runs: an idle daemon has no timer.
                long refreshMs = settings.leaseRefresh().toMillis();
                long pollMs = Math.max(1, settings.poll().toMillis());
                timers = List.of(
                        heartbeat.scheduleWithFixedDelay(this::renewLeases, refreshMs, refreshMs, TimeUnit.MILLISECONDS),
                        heartbeat.scheduleWithFixedDelay(this::watchCancels, pollMs, pollMs, TimeUnit.MILLISECONDS));
            }
        }
        long started = System.nanoTime();
        log.info("job.started", "job", job.id(), "kind", job.kind(), "attempt", job.attempt(), "worker", workerId);
        String result = null;
        Exception failure = null;
        try {
            JobContext.bind(context);
            context.checkpoint();
            result = handler.run(context);
        } catch (Exception e) {
            failure = e;
        } finally {
            JobContext.bind(null);
            context.handlerReturned();
            synchronized (timersLock) {
                running.remove(workerId);
                if (running.isEmpty()) {
                    timers.forEach(timer -> timer.cancel(false));
                    timers = List.of();
                }
            }
            Thread.interrupted(); // a stop that came before handlerReturned() is not for the next job
        }
        long nanos = System.nanoTime() - started;
        timings.finished(job.kind(), finish(workerId, job, context, result, failure, nanos / 1_000_000), nanos);
        recheck();
    }

    /** Ends the job in the store as the handler's run decides; returns how, or null if the store failed. */
    private Completion finish(String workerId, Job job, JobContext context, String result, Exception failure,
            long ms) {
        JobContext.Stop stop = context.stopReason();
        try {
            Completion completion;
            if (stop == JobContext.Stop.LEASE_LOST) {
                log.warn("job.lease-lost", "job", job.id(), "worker", workerId, "ms", ms);
                return Completion.LEASE_LOST;
            } else if (failure instanceof JobStopped stopped && stopped.reason() == JobContext.Stop.CANCELED) {
                // The handler saw the cancel, undid its work and gave up.
                completion = store.finishCanceled(job.id(), workerId, cancelReason(stop, failure));
            } else if (stop == JobContext.Stop.SHUTDOWN) {
                completion = store.release(job.id(), workerId, "orchestrator shutting down");
            } else if (failure == null) {
                completion = store.ack(job.id(), workerId, result);
            } else if (failure instanceof PermanentFailure) {
                completion = store.failPermanently(job.id(), workerId, describe(failure));
            } else {
                completion = store.fail(job.id(), workerId, describe(failure));
            }
            if (completion == Completion.CANCEL_REQUESTED) {
                // The handler did not see the cancel (it came as the run ended) or did not say it
                // did: undo its work, then end canceled. Undoing is idempotent.
                undoCanceled(job, context, result);
                completion = store.finishCanceled(job.id(), workerId, cancelReason(stop, failure));
            }
            log.info("job.finished", "job", job.id(), "kind", job.kind(), "outcome", completion, "worker", workerId,
                    "ms", ms, "error", failure == null ? "" : describe(failure));
            return completion;
        } catch (RuntimeException e) {
            // The lease runs out and the job is taken back; nothing is lost.
            log.error("job.finish-failed", "job", job.id(), "worker", workerId, "error", e.getMessage(),
                    "action", "the job stays running until its lease runs out, then runs again");
            return null;
        }
    }

    private void undoCanceled(Job job, JobContext context, String result) {
        try {
            handlers.get(job.kind()).undoCanceled(context, result);
        } catch (Exception e) {
            log.error("job.undo-failed", "job", job.id(), "kind", job.kind(), "error", describe(e));
        }
    }

    /**
     * Why a canceled job ended, as its error: the request, and how the attempt ended when it failed
     * for a reason of its own (not a stop or its interrupt).
     */
    private static String cancelReason(JobContext.Stop stop, Exception failure) {
        return failure == null || stop != null ? "canceled on request"
                : "canceled on request (the attempt ended: " + describe(failure) + ")";
    }

    /** The error text stored on the job: the message's first line, never a stack trace. */
    private static String describe(Exception failure) {
        String message = failure.getMessage();
        if (message == null || message.isBlank()) {
            return failure.getClass().getSimpleName();
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private void renewLeases() {
        running.forEach((workerId, context) -> {
            try {
                // Taken before the renewal: the lease the store records ends no sooner than this.
                Instant renewedUntil = clock.instant().plus(settings.lease());
                LeaseStatus status = store.extendLease(context.job().id(), workerId, settings.lease());
                heartbeatFailures.succeeded();
                switch (status) {
                    case CANCEL_REQUESTED -> {
                        context.leaseRenewedUntil(renewedUntil);
                        context.stop(JobContext.Stop.CANCELED);
                    }
                    case LOST -> context.stop(JobContext.Stop.LEASE_LOST);
                    case HELD -> context.leaseRenewedUntil(renewedUntil);
                }
            } catch (RuntimeException e) {
                // Try again next round; a lease is always renewed well before it runs out.
                heartbeatFailures.failed("job", context.job().id(), "error", e.getMessage());
            }
        });
    }

    /**
     * Tells the handler running {@code jobId} in this process, if any, that its cancel was
     * requested (the store already records it): the cancel route calls this so that the handler
     * stops at once rather than at the next {@link #watchCancels}.
     */
    public void cancelRequested(String jobId) {
        running.values().stream().filter(context -> context.job().id().equals(jobId))
                .forEach(context -> context.stop(JobContext.Stop.CANCELED));
    }

    /**
     * Stops the handlers whose job's cancel was recorded by another process (or whose cancel
     * route call was missed): one indexed query for this pool's workers, only while some run.
     * A context stops at most once and never interrupts after its handler returned, so a late
     * answer cannot reach the thread's next job.
     */
    private void watchCancels() {
        if (running.isEmpty()) {
            return;
        }
        try {
            Set<String> canceled = store.cancelRequested(workerIdPrefix + "-");
            cancelWatchFailures.succeeded();
            canceled.forEach(this::cancelRequested);
        } catch (RuntimeException e) {
            cancelWatchFailures.failed("error", e.getMessage());
        }
    }

    /**
     * The worker threads now: how many there should be, are alive, run a job, and run one past
     * its lease. A dead thread is replaced as it dies, so {@code alive < configured} means a
     * replacement failed, or the pool is stopping.
     */
    public StatusReport.Workers figures() {
        int alive;
        int configured;
        synchronized (this) {
            alive = (int) threads.stream().filter(Thread::isAlive).count();
            configured = started ? settings.concurrency() : 0; // none yet while the cattle side starts
        }
        Instant now = clock.instant();
        int stuck = (int) running.values().stream().filter(context -> context.pastItsLease(now)).count();
        return new StatusReport.Workers(configured, alive, running.size(), stuck,
                List.copyOf(new TreeSet<>(handlers.keySet())));
    }

    /** Claim latencies and handler durations since the pool was made. */
    public JobTimings timings() {
        return timings;
    }

    /**
     * Stops claiming, waits up to {@code grace} for running jobs, then stops the rest (their jobs
     * are released) and waits for the workers to end.
     */
    public void shutdown(Duration grace) {
        List<Thread> workers;
        synchronized (this) {
            stopping = true;
            workers = List.copyOf(threads);
        }
        wakeAll();
        long deadline = System.nanoTime() + grace.toNanos();
        for (Thread worker : workers) {
            joinUntil(worker, deadline);
        }
        running.values().forEach(context -> context.stop(JobContext.Stop.SHUTDOWN));
        long hardDeadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (Thread worker : workers) {
            joinUntil(worker, hardDeadline);
            if (worker.isAlive()) {
                log.error("worker.stuck", "thread", worker.getName(), "action", "its lease will run out and the job run again");
            }
        }
        heartbeat.shutdownNow();
    }

    private static void joinUntil(Thread thread, long deadlineNanos) {
        long waitMs = Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
        try {
            thread.join(waitMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
