package clf.queue.internal;

import clf.queue.JobStore;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The listeners of {@link JobStore#onEnqueued}: whoever learns of a new job (an engine after
 * its commit, or its listening thread) calls {@link #fire()}. A listener that throws is logged
 * and the others are still called: a wake is a hint, never a reason to fail an enqueue.
 */
public final class EnqueueListeners {
    private static final Logger LOG = Logger.getLogger(EnqueueListeners.class.getName());

    private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();

    public JobStore.Subscription add(Runnable listener) {
        // A wrapper of its own, so the same Runnable subscribed twice is removed once per close.
        Runnable entry = listener::run;
        listeners.add(entry);
        return () -> listeners.remove(entry);
    }

    public boolean isEmpty() {
        return listeners.isEmpty();
    }

    public void fire() {
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "an enqueue listener failed", e);
            }
        }
    }
}
