package clf.server.internal.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.queue.Job;
import clf.queue.JobStore;
import clf.queue.JobStores;
import clf.queue.NewJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a stop reaches the thread that runs a job, with a real claimed job from a real store. */
class JobContextTest {
    @TempDir
    Path dir;
    JobStore store;
    Job job;

    @BeforeEach
    void claim() {
        store = JobStores.openSqlite(dir.resolve("state.sqlite"));
        store.enqueue(NewJob.of("test.echo", "maren", "{}"));
        job = store.claimNext("w1", Set.of("test.echo"), Duration.ofSeconds(30)).orElseThrow();
    }

    @AfterEach
    void close() {
        Thread.interrupted();
        store.close();
    }

    @Test
    void aStopWhileTheHandlerRunsInterruptsItsThread() {
        JobContext context = new JobContext(job, store, Thread.currentThread());
        context.stop(JobContext.Stop.LEASE_LOST);
        assertTrue(Thread.interrupted());
        assertEquals(JobContext.Stop.LEASE_LOST, context.stopReason());
    }

    @Test
    void aStopThatArrivesAfterTheHandlerReturnedLeavesTheThreadsNextJobAlone() {
        // The heartbeat read the running jobs, the job ended, and only then did the store say
        // its lease is gone: the thread already runs another job.
        JobContext context = new JobContext(job, store, Thread.currentThread());
        context.handlerReturned();
        context.stop(JobContext.Stop.LEASE_LOST);
        assertFalse(Thread.currentThread().isInterrupted());
        assertEquals(JobContext.Stop.LEASE_LOST, context.stopReason());
    }

    @Test
    void aStopDuringAnUninterruptedCallIsSeenAtTheNextCheckpointWithoutCuttingTheCallShort() throws Exception {
        JobContext context = new JobContext(job, store, Thread.currentThread());

        String answer = context.uninterrupted(() -> {
            context.stop(JobContext.Stop.CANCELED); // as the cancel route would, while the create is out
            assertFalse(Thread.currentThread().isInterrupted(), "the call runs on");
            return "server 42";
        });

        assertEquals("server 42", answer);
        assertFalse(Thread.currentThread().isInterrupted());
        JobStopped stopped = assertThrows(JobStopped.class, context::checkpoint);
        assertEquals(JobContext.Stop.CANCELED, stopped.reason());
    }

    @Test
    void anUninterruptedCallIsNotMadeOnceTheJobMustStop() {
        JobContext context = new JobContext(job, store, Thread.currentThread());
        context.stop(JobContext.Stop.CANCELED);
        Thread.interrupted();
        AtomicBoolean called = new AtomicBoolean();

        assertThrows(JobStopped.class, () -> context.uninterrupted(() -> called.getAndSet(true)));
        assertFalse(called.get());
    }
}
