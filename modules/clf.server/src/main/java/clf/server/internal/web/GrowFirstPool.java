package clf.server.internal.web;

import java.time.Duration;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A thread pool that hands a task to an idle thread, else starts a thread up to its maximum,
 * and only then queues it (unbounded): XNIO's EnhancedQueueExecutor's order, which
 * ThreadPoolExecutor takes the other way round (it queues before it grows past its core). Made
 * from the JDK's pool because jboss-threads' costs ~40 ms of a daemon's start (its version
 * banner read from the image, its logger's method handles, the CPU cache probe in /sys).
 */
final class GrowFirstPool {
    private GrowFirstPool() {
    }

    static ThreadPoolExecutor create(int core, int max, Duration keepAlive, ThreadFactory threads) {
        HandOffFirst queue = new HandOffFirst();
        return new ThreadPoolExecutor(core, max, keepAlive.toNanos(), TimeUnit.NANOSECONDS, queue, threads,
                (task, pool) -> {
                    if (pool.isShutdown()) {
                        throw new RejectedExecutionException("the HTTP task pool is stopped");
                    }
                    queue.enqueue(task); // every thread is busy and there are max of them
                });
    }

    /**
     * The pool offers each task here first: taken only by a thread waiting for work, so that
     * otherwise the pool starts a thread, or at its maximum refuses the task to the handler
     * above, which queues it for the next thread that frees up.
     */
    private static final class HandOffFirst extends LinkedTransferQueue<Runnable> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean offer(Runnable task) {
            return tryTransfer(task);
        }

        void enqueue(Runnable task) {
            super.offer(task);
        }
    }
}
