package clf.queue.internal.sqlite;

import clf.queue.StoreException;
import clf.queue.sql.Session;
import clf.queue.sqlite.Database;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Concurrent writes sharing transactions: whoever gets the leader lock writes every request
 * waiting at that moment in one transaction, each under its own savepoint, and hands each caller
 * its own result. A commit writes each touched page once however many rows it holds, which is
 * what limits single-row transactions. A request's failure is its own: the others commit.
 *
 * @param <I> what a caller asks to write
 * @param <R> what it gets back
 */
final class GroupCommit<I, R> {
    /** Requests in one transaction at most; bounds how long the write lock is held. */
    private static final int MAX_BATCH = 64;

    /** Writes one request inside the shared transaction. */
    @FunctionalInterface
    interface Step<I, R> {
        R write(Session session, I request) throws SQLException;
    }

    private final Database database;
    private final String what;
    private final Step<I, R> step;
    private final Queue<Pending<I, R>> incoming = new ConcurrentLinkedQueue<>();
    private final ReentrantLock leader = new ReentrantLock();

    /** @param what the write's name in error messages ("enqueue") */
    GroupCommit(Database database, String what, Step<I, R> step) {
        this.database = database;
        this.what = what;
        this.step = step;
    }

    /** Writes {@code request}, in a transaction shared with whoever else writes now; returns once committed. */
    R write(I request) {
        Pending<I, R> mine = new Pending<>(request);
        incoming.add(mine);
        while (true) {
            if (mine.result.isDone()) {
                return mine.outcome();
            }
            if (leader.tryLock()) {
                try {
                    // Lead until nothing waits, so followers rarely need their timeout.
                    while (!incoming.isEmpty()) {
                        writeBatch();
                    }
                } finally {
                    leader.unlock();
                }
            } else {
                mine.awaitBriefly(what);
            }
        }
    }

    /** One waiting request and its result. */
    private static final class Pending<I, R> {
        final I request;
        final CompletableFuture<R> result = new CompletableFuture<>();

        Pending(I request) {
            this.request = request;
        }

        R outcome() {
            try {
                return result.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }

        /**
         * Waits for a leader to write this request. The timeout only covers the race in which the
         * leader let go just as this one was queued; then this caller leads itself.
         */
        void awaitBriefly(String what) {
            try {
                result.get(2, TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // done (then outcome() reports it) or not yet: the caller's loop decides
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("interrupted while waiting to " + what, e);
            }
        }
    }

    private void writeBatch() {
        List<Pending<I, R>> batch = new ArrayList<>();
        for (Pending<I, R> next; batch.size() < MAX_BATCH && (next = incoming.poll()) != null; ) {
            batch.add(next);
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            List<Runnable> completions = database.write(session -> {
                List<Runnable> done = new ArrayList<>(batch.size());
                for (Pending<I, R> pending : batch) {
                    session.prepare("SAVEPOINT grouped").execute();
                    try {
                        R result = step.write(session, pending.request);
                        session.prepare("RELEASE grouped").execute();
                        done.add(() -> pending.result.complete(result));
                    } catch (SQLException | RuntimeException e) {
                        session.prepare("ROLLBACK TO grouped").execute();
                        session.prepare("RELEASE grouped").execute();
                        RuntimeException failure = e instanceof SQLException sql ? Database.translate(what, sql)
                                : (RuntimeException) e;
                        done.add(() -> pending.result.completeExceptionally(failure));
                    }
                }
                return done;
            });
            completions.forEach(Runnable::run); // only once committed
        } catch (RuntimeException e) {
            batch.forEach(pending -> pending.result.completeExceptionally(e));
        }
    }
}
