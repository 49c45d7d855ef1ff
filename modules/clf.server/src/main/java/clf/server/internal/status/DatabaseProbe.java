package clf.server.internal.status;

import clf.protocol.Health;
import clf.queue.JobStore;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The database health check: a real query (the daemon's: {@link JobStore#ping()}) that must
 * answer within a timeout. The query runs on a thread of its own, so a store that hangs (a lock held by another
 * process, readers all stuck) cannot hang the health request; checks that come while a query
 * hangs wait on that same query instead of queueing more.
 */
final class DatabaseProbe implements AutoCloseable {
    private final Runnable query;
    private final Duration timeout;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(task -> {
        Thread probe = new Thread(task, "clf-health-db");
        probe.setDaemon(true);
        return probe;
    });
    private Future<Long> current;
    /** The answer time of the last check's query in nanoseconds; -1 when it got none. */
    private volatile long lastAnswerNanos = -1;

    DatabaseProbe(Runnable query, Duration timeout) {
        this.query = query;
        this.timeout = timeout;
    }

    Health.Check check() {
        lastAnswerNanos = -1; // until this check's query answers
        Future<Long> ping;
        try {
            ping = currentPing();
        } catch (RejectedExecutionException e) {
            return Health.Check.failing("the daemon is stopping");
        }
        try {
            long nanos = ping.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            lastAnswerNanos = nanos;
            return Health.Check.well("a query answered in " + tenths(nanos / 100_000.0) + " ms");
        } catch (TimeoutException e) {
            return Health.Check.failing("a query got no answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            return Health.Check.failing("a query failed: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.Check.failing("interrupted while waiting for a query");
        }
    }

    /**
     * {@code value / 10} with one decimal, rounded half up as {@code %.1f} would: String.format's
     * first use loads the formatter and the locale's number symbols, ~5 ms of a supervisor's
     * first /healthz after start.
     */
    static String tenths(double value) {
        long rounded = Math.round(value);
        return rounded / 10 + "." + rounded % 10;
    }

    /** How long the last check's query took, in seconds; null when it failed or got no answer in time. */
    Double lastAnswerSeconds() {
        long nanos = lastAnswerNanos;
        return nanos < 0 ? null : nanos / 1e9;
    }

    /** The query still under way, or a new one. */
    private synchronized Future<Long> currentPing() {
        if (current == null || current.isDone()) {
            current = thread.submit(() -> {
                long start = System.nanoTime();
                query.run();
                return System.nanoTime() - start;
            });
        }
        return current;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
