package clf.server.internal.unix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.newsclub.net.unix.AFUNIXSelectorProvider;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;

/**
 * The IO thread of the bot socket's connections: one loop over junixsocket's selector that
 * reads and writes the Unix connections themselves and runs the tasks and timers Undertow gives
 * its IO thread ({@link #execute}, {@link #executeAfter}). XNIO's own IO threads select over
 * JDK channels only, which a junixsocket channel is not; being an {@link XnioIoThread} lets
 * Undertow serve {@link UnixConnection}s as it serves TCP ones, with no copy in between.
 *
 * <p>Everything here runs on this one thread; other threads hand work over through
 * {@link #execute}, which wakes the selector only when the loop may be asleep in it.
 */
final class UnixIoThread extends XnioIoThread {
    /** How long {@link #awaitNextRequest} polls on: a client's turnaround across idle cores is ~50 µs. */
    private static final long SPIN_NANOS = 100_000;
    /** After a poll-on that found nothing, this many inline answers go to sleep in poll(2) at once. */
    private static final int SPIN_PAUSE = 64;
    private final Selector selector;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    /** Timers removed before they ran and still in {@link #timers}; they are dropped in bulk. */
    private final AtomicInteger removedTimers = new AtomicInteger();
    private final AtomicLong timerSequence = new AtomicLong();
    /** The loop is running or a wake-up is on its way: {@link #execute} need not wake it. */
    private final AtomicBoolean awake = new AtomicBoolean(true);
    private volatile boolean stopping;
    /** A connection wrote to its peer in this turn (IO thread only). */
    private boolean answered;
    /** Inline answers still to serve without polling on after them (see {@link #awaitNextRequest}). */
    private int spinPause;
    private final Log failures;

    /** Where the loop reports what a task or handler threw (it keeps running). */
    interface Log {
        void failed(String what, Throwable error);
    }

    UnixIoThread(XnioWorker worker, String name, Log failures) {
        super(worker, 0, name);
        setDaemon(true);
        this.failures = failures;
        try {
            this.selector = AFUNIXSelectorProvider.provider().openSelector();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for the bot socket", e);
        }
    }

    Selector selector() {
        return selector;
    }

    boolean inLoop() {
        return Thread.currentThread() == this;
    }

    @Override
    public void execute(Runnable command) {
        if (stopping) {
            throw new RejectedExecutionException("the bot socket's IO thread has stopped");
        }
        tasks.add(command);
        if (!inLoop()) {
            wake();
        }
    }

    /** Makes the loop look at its tasks and keys again (after a close from another thread, say). */
    void wake() {
        if (awake.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    @Override
    public Key executeAfter(Runnable command, long time, TimeUnit unit) {
        Timer timer = new Timer(command, System.nanoTime() + unit.toNanos(Math.max(0, time)), 0);
        schedule(timer);
        return timer;
    }

    @Override
    public Key executeAtInterval(Runnable command, long time, TimeUnit unit) {
        long period = Math.max(1, unit.toNanos(time));
        Timer timer = new Timer(command, System.nanoTime() + period, period);
        schedule(timer);
        return timer;
    }

    private void schedule(Timer timer) {
        if (inLoop()) {
            timers.add(timer);
        } else {
            execute(() -> timers.add(timer));
        }
    }

    /** Stops the loop; it closes the selector on its way out. */
    void shutdown() {
        stopping = true;
        awake.set(false);
        wake();
    }

    /** A connection of this loop wrote to its peer (IO thread only; see {@link #awaitNextRequest}). */
    void answered() {
        answered = true;
    }

    @Override
    public void run() {
        try {
            boolean answeredInline = false;
            while (!stopping) {
                long waitMs = runDueTimers();
                if (!(answeredInline && awaitNextRequest())) {
                    awake.set(false);
                    if (!tasks.isEmpty() || stopping) {
                        awake.set(true);
                        selector.selectNow();
                    } else if (waitMs < 0) {
                        selector.select();
                    } else {
                        selector.select(waitMs);
                    }
                    awake.set(true);
                }
                answered = false;
                handleSelected();
                answeredInline = answered;
                runTasks();
            }
        } catch (IOException | RuntimeException e) {
            failures.failed("bot-socket.io-loop", e);
        } finally {
            stopping = true;
            closeAll();
        }
    }

    /**
     * After a request answered right on this thread (a show, a list): polls without sleeping for
     * up to {@link #SPIN_NANOS}, as its client often sends the next one within tens of
     * microseconds. Asleep in poll(2), this thread costs each such request a wake-up, which on a
     * VM with an idle core is an interrupt to the other virtual CPU and its exit from halt (with
     * this thread and a client pinned to the two cores of the test VM: median show 0.046-0.063 ms
     * against 0.068-0.099 ms; unpinned at load ~2, 1-client shows 14-18k/s against 9-11k/s). It
     * yields the core between polls: without, four clients on the two cores lost ~8 % of their
     * shows to it; with, within noise. A poll-on that finds nothing pauses polling on for
     * {@link #SPIN_PAUSE} answers. Not after answers from a worker (enqueues): the worker threads
     * need the cores then. An idle daemon never polls on.
     *
     * @return whether a connection or task is ready (the keys are selected)
     */
    private boolean awaitNextRequest() throws IOException {
        if (spinPause > 0) {
            spinPause--;
            return false;
        }
        long end = System.nanoTime() + SPIN_NANOS;
        do {
            if (selector.selectNow() > 0 || !tasks.isEmpty() || stopping) {
                return true;
            }
            Thread.yield(); // a client (or worker) waiting for this core runs first
        } while (System.nanoTime() - end < 0);
        spinPause = SPIN_PAUSE;
        return false;
    }

    private void handleSelected() {
        for (SelectionKey key : selector.selectedKeys()) {
            if (key.attachment() instanceof UnixConnection connection) {
                try {
                    connection.ready(key);
                } catch (RuntimeException e) {
                    failures.failed("bot-socket.io-handler", e);
                }
            }
        }
    }

    private void runTasks() {
        // At most what is queued now: tasks queued by these tasks wait for the next turn, after
        // a look at the selector, so a task that requeues itself cannot starve the sockets.
        for (int left = tasks.size(); left > 0; left--) {
            Runnable task = tasks.poll();
            if (task == null) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                failures.failed("bot-socket.io-task", e);
            }
        }
    }

    /** Runs the timers that are due; how long until the next one in ms, or -1 for none. */
    private long runDueTimers() {
        if (removedTimers.get() > 1024 && removedTimers.get() > timers.size() / 2) {
            List<Timer> live = new ArrayList<>(timers.size());
            for (Timer timer : timers) {
                if (timer.state.get() == Timer.PENDING) {
                    live.add(timer);
                }
            }
            removedTimers.set(0);
            timers.clear();
            timers.addAll(live);
        }
        long now = System.nanoTime();
        Timer next;
        while ((next = timers.peek()) != null) {
            if (next.state.get() != Timer.PENDING) {
                timers.poll();
                removedTimers.decrementAndGet();
                continue;
            }
            if (next.due - now > 0) {
                return Math.max(1, TimeUnit.NANOSECONDS.toMillis(next.due - now + 999_999));
            }
            timers.poll();
            if (next.period == 0 && !next.state.compareAndSet(Timer.PENDING, Timer.RAN)) {
                continue;
            }
            try {
                next.command.run();
            } catch (RuntimeException e) {
                failures.failed("bot-socket.io-timer", e);
            }
            if (next.period > 0 && next.state.get() == Timer.PENDING) {
                timers.add(next.rescheduled(now));
            }
        }
        return -1;
    }

    private void closeAll() {
        for (SelectionKey key : List.copyOf(selector.keys())) {
            if (key.attachment() instanceof UnixConnection connection) {
                connection.abort();
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            // nothing left to serve
        }
        tasks.clear();
    }

    /** A task due at {@code due} (System.nanoTime), every {@code period} ns if not 0. */
    private final class Timer implements Key, Comparable<Timer> {
        static final int PENDING = 0;
        static final int RAN = 1;
        static final int REMOVED = 2;

        final Runnable command;
        final long due;
        final long period;
        final long sequence = timerSequence.incrementAndGet();
        final AtomicInteger state;

        Timer(Runnable command, long due, long period) {
            this(command, due, period, new AtomicInteger(PENDING));
        }

        private Timer(Runnable command, long due, long period, AtomicInteger state) {
            this.command = command;
            this.due = due;
            this.period = period;
            this.state = state;
        }

        /** The next turn of a periodic timer; removing either removes both (they share the state). */
        Timer rescheduled(long now) {
            return new Timer(command, now + period, period, state);
        }

        @Override
        public boolean remove() {
            if (state.compareAndSet(PENDING, REMOVED)) {
                removedTimers.incrementAndGet();
                return true;
            }
            return false;
        }

        @Override
        public int compareTo(Timer other) {
            int byDue = Long.compare(due - other.due, 0);
            return byDue != 0 ? byDue : Long.compare(sequence, other.sequence);
        }
    }
}
