package clf.queue.internal.postgres;

import clf.queue.JobStore;
import clf.queue.internal.EnqueueListeners;
import clf.queue.postgres.PostgresDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Hears every host's enqueues: a thread on a connection of its own ({@link
 * PostgresDatabase#openDedicated()}) that {@code LISTEN}s on {@link Enqueues#CHANNEL} and calls
 * the store's {@link JobStore#onEnqueued} listeners for each notification, this host's included.
 * Started with the first listener; a dropped connection is opened again with a growing pause (up
 * to {@link #MAX_BACKOFF_MS}), and the listeners are called once after each reconnect, since
 * jobs may have come while nobody listened.
 */
final class Wakeups implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Wakeups.class.getName());
    private static final int POLL_MS = 500;
    private static final long FIRST_BACKOFF_MS = 100;
    static final long MAX_BACKOFF_MS = 5_000;
    /** How long the first {@link #add} waits for the LISTEN to be in place. */
    private static final long FIRST_LISTEN_WAIT_MS = 5_000;

    private final PostgresDatabase database;
    private final EnqueueListeners listeners = new EnqueueListeners();
    private final Object lock = new Object();
    private final CountDownLatch firstListen = new CountDownLatch(1);
    private Thread thread;
    private volatile Connection connection;
    private volatile boolean closed;

    Wakeups(PostgresDatabase database) {
        this.database = database;
    }

    JobStore.Subscription add(Runnable listener) {
        JobStore.Subscription subscription = listeners.add(listener);
        synchronized (lock) {
            if (thread == null && !closed) {
                thread = new Thread(this::run, "clf-queue-listen");
                thread.setDaemon(true);
                thread.start();
            }
        }
        // Every enqueue committed after this returns is heard (unless the server cannot be
        // reached: then the wake after the reconnect stands in).
        try {
            firstListen.await(FIRST_LISTEN_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return subscription;
    }

    private void run() {
        long backoff = FIRST_BACKOFF_MS;
        boolean reconnect = false;
        while (!closed) {
            try (Connection listening = database.openDedicated()) {
                connection = listening;
                try (Statement listen = listening.createStatement()) {
                    listen.execute("LISTEN " + Enqueues.CHANNEL);
                }
                firstListen.countDown();
                backoff = FIRST_BACKOFF_MS;
                if (reconnect) {
                    listeners.fire();
                }
                PGConnection notices = listening.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] heard = notices.getNotifications(POLL_MS);
                    if (heard != null && heard.length > 0) {
                        listeners.fire(); // one wake however many jobs came at once
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.log(Level.WARNING, "listening for new jobs on " + database.location() + " failed; again in "
                        + backoff + " ms: " + e.getMessage());
            } finally {
                connection = null;
            }
            reconnect = true;
            if (!pause(backoff)) {
                return;
            }
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        }
    }

    private boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return !closed;
        } catch (InterruptedException e) {
            return false;
        }
    }

    @Override
    public void close() {
        Thread running;
        synchronized (lock) {
            closed = true;
            running = thread;
        }
        if (running == null) {
            return;
        }
        running.interrupt();
        Connection listening = connection;
        if (listening != null) {
            try {
                listening.close(); // ends a wait in getNotifications at once
            } catch (SQLException e) {
                // closing anyway
            }
        }
        try {
            running.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
