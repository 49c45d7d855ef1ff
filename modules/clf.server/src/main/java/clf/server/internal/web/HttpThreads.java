package clf.server.internal.web;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

/**
 * The threads of both HTTP listeners: one task pool for the work handed off the IO threads
 * ({@link WorkerHandoff}), and XNIO's NIO worker for the TCP listeners (the cattle listener,
 * {@code /metrics}), made on first use. The bot socket has an IO thread of its own and needs
 * only the pool: making XNIO's NIO provider makes the JVM's JMX platform server too (it
 * registers its MXBeans there, with no switch to turn that off), ~45 ms of a start, so it
 * stays off the bot socket's path and is made behind it. The pool behaves as XNIO's own (4
 * threads kept, up to 32 while all are busy; {@link GrowFirstPool}), without its MXBean.
 */
public final class HttpThreads implements AutoCloseable {
    /** How long the worker and the pool get to finish at close before they are interrupted. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final ThreadPoolExecutor tasks;
    private XnioWorker tcp; // guarded by this
    private boolean closed; // guarded by this

    public HttpThreads() {
        AtomicInteger count = new AtomicInteger();
        // 2 cores: 4 threads kept (more runnable threads only add switches), up to 32 while all
        // are busy, as XNIO's own pool; not daemon threads, as XNIO's were: Main ends the JVM with System.exit.
        tasks = GrowFirstPool.create(4, 32, Duration.ofMinutes(1),
                task -> new Thread(task, "clf-http task-" + count.incrementAndGet()));
    }

    /** Where the listeners' handlers run their work. */
    public ExecutorService tasks() {
        return tasks;
    }

    /** XNIO's NIO worker for TCP listeners (its two IO threads, tasks on {@link #tasks}); made by the first call. */
    public synchronized XnioWorker tcpWorker() {
        if (closed) {
            throw new IllegalStateException("the HTTP threads are stopped");
        }
        if (tcp == null) {
            tcp = Xnio.getInstance().createWorkerBuilder()
                    .populateFromOptions(OptionMap.builder()
                            .set(Options.WORKER_IO_THREADS, 2)
                            .set(Options.WORKER_NAME, "clf-http")
                            .getMap())
                    .setExternalExecutorService(tasks)
                    .build();
        }
        return tcp;
    }

    /** Stops the TCP worker's IO threads, then the pool; each gets a moment to finish before it is interrupted. */
    @Override
    public void close() throws InterruptedException {
        XnioWorker worker;
        synchronized (this) {
            closed = true;
            worker = tcp;
        }
        if (worker != null) {
            worker.shutdown();
            if (!worker.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                worker.shutdownNow();
            }
        }
        tasks.shutdown();
        if (!tasks.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            tasks.shutdownNow();
        }
    }
}
