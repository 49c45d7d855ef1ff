package clf.server.internal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The HTTP task pool's order: an idle thread, else a new one up to the maximum, else the queue. */
class GrowFirstPoolTest {

    @Test
    void busyThreadsMakeThePoolGrowPastItsCoreBeforeAnythingWaits() throws Exception {
        ThreadPoolExecutor pool = GrowFirstPool.create(2, 6, Duration.ofMinutes(1), Thread::new);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(6);
        try {
            for (int i = 0; i < 6; i++) {
                pool.execute(() -> {
                    running.countDown();
                    await(release);
                });
            }
            assertTrue(running.await(5, TimeUnit.SECONDS), "all 6 ran at once, none queued behind the core 2");
            assertEquals(6, pool.getPoolSize());
            assertEquals(0, pool.getQueue().size());
        } finally {
            release.countDown();
            pool.shutdown();
            assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void pastTheMaximumTasksQueueAndRunAsThreadsFreeUp() throws Exception {
        ThreadPoolExecutor pool = GrowFirstPool.create(1, 3, Duration.ofMinutes(1), Thread::new);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger done = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(10);
        try {
            for (int i = 0; i < 10; i++) {
                pool.execute(() -> {
                    await(release);
                    done.incrementAndGet();
                    all.countDown();
                });
            }
            assertEquals(3, pool.getPoolSize());
            assertEquals(7, pool.getQueue().size(), "the 7 past the maximum wait, none is refused");
            release.countDown();
            assertTrue(all.await(5, TimeUnit.SECONDS));
            assertEquals(10, done.get());
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void anIdleThreadTakesTheNextTaskInsteadOfANewThreadStarting() throws Exception {
        ThreadPoolExecutor pool = GrowFirstPool.create(1, 4, Duration.ofMinutes(1), Thread::new);
        try {
            for (int i = 0; i < 20; i++) {
                CountDownLatch ran = new CountDownLatch(1);
                pool.execute(ran::countDown);
                assertTrue(ran.await(5, TimeUnit.SECONDS));
                waitUntilIdle(pool);
            }
            assertEquals(1, pool.getLargestPoolSize(), "one thread did all 20, one at a time");
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void aStoppedPoolRefusesWork() {
        ThreadPoolExecutor pool = GrowFirstPool.create(1, 2, Duration.ofMinutes(1), Thread::new);
        pool.shutdown();
        assertThrows(RejectedExecutionException.class, () -> pool.execute(() -> { }));
    }

    /** Until the thread waits for work (between its task and its wait it is neither busy nor idle). */
    private static void waitUntilIdle(ThreadPoolExecutor pool) throws InterruptedException {
        LinkedTransferQueue<Runnable> queue = (LinkedTransferQueue<Runnable>) pool.getQueue();
        for (int i = 0; i < 500 && !queue.hasWaitingConsumer(); i++) {
            Thread.sleep(2);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
