package clf.queue.internal.postgres;

import clf.queue.postgres.PostgresDatabase;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends the {@code NOTIFY} that wakes every host's {@link Wakeups} once a new job is committed:
 * in a small transaction of its own, after the enqueue's, and one for however many enqueues
 * committed while it was on its way.
 *
 * <p>Not inside the enqueue's transaction: PostgreSQL commits a notifying transaction under a
 * lock of the whole database that it holds through the commit's WAL flush, so every enqueue
 * would wait for every other's disk write (measured: about 400 enqueues/s from 8 threads, with
 * eight sessions queued on that lock). Here that lock is held by one transaction at a time, which
 * waits for no disk ({@code synchronous_commit = off}: a wake need not survive a crash). A
 * process that dies between the two commits wakes nobody; the others' polls find the job.
 */
final class Notifier implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Notifier.class.getName());

    private static final String NOTIFY_SQL = "SELECT set_config('synchronous_commit', 'off', true), pg_notify('"
            + Enqueues.CHANNEL + "', '')";

    private final PostgresDatabase database;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "clf-queue-notify");
        thread.setDaemon(true);
        return thread;
    });

    Notifier(PostgresDatabase database) {
        this.database = database;
    }

    /** A new job was committed: a NOTIFY follows, sent after this call. */
    void jobCommitted() {
        if (pending.compareAndSet(false, true)) {
            try {
                sender.execute(this::send);
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                pending.set(false);
            }
        }
    }

    private void send() {
        // Cleared before sending: a job committed from now on gets a NOTIFY of its own.
        pending.set(false);
        try {
            // One statement, committing itself: the setting holds for its implicit transaction.
            database.writeAutoCommit(session -> {
                session.prepare(NOTIFY_SQL).execute();
                return null;
            });
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not announce a new job on " + database.location()
                    + " (other hosts find it at their next poll): " + e.getMessage());
        }
    }

    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
