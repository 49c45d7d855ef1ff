package clf.server.internal.unix;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.xnio.ManagementRegistration;
import org.xnio.Xnio;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;
import org.xnio.management.XnioServerMXBean;
import org.xnio.management.XnioWorkerMXBean;

/**
 * The XNIO worker of the bot socket's connections: its one IO thread is {@link UnixIoThread},
 * and the work Undertow dispatches runs on the daemon's HTTP task pool. Undertow asks a
 * connection's worker only for those two. It is made here, not by XNIO's NIO provider, because
 * making that provider makes the JVM's JMX platform server as well (~45 ms of every start);
 * the NIO worker is left to the TCP listeners, which start behind the bot socket.
 */
final class UnixWorker extends XnioWorker {
    private final UnixIoThread io;
    private volatile boolean shutdown;

    /** Builds the worker through XNIO's public builder, the only way to a worker's constructor. */
    private static final class Provider extends Xnio {
        private final UnixIoThread.Log failures;

        Provider(UnixIoThread.Log failures) {
            super("clf-unix");
            this.failures = failures;
        }

        @Override
        protected XnioWorker build(Builder builder) {
            return new UnixWorker(builder, failures);
        }
    }

    private UnixWorker(Builder builder, UnixIoThread.Log failures) {
        super(builder);
        // The thread only keeps the reference; it is started once the worker is built.
        this.io = new UnixIoThread(this, "clf-unix-io", failures);
    }

    /** A worker whose tasks run on {@code tasks} (the pool stays the caller's); its IO thread is not started. */
    static UnixWorker create(ExecutorService tasks, UnixIoThread.Log failures) {
        return (UnixWorker) new Provider(failures).createWorkerBuilder()
                .setWorkerName("clf-unix")
                .setExternalExecutorService(tasks)
                .build();
    }

    UnixIoThread ioThread() {
        return io;
    }

    @Override
    public void shutdown() {
        shutdown = true;
        io.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown();
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown && !io.isAlive();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        io.join(Math.max(1, unit.toMillis(timeout)));
        return !io.isAlive();
    }

    @Override
    public void awaitTermination() throws InterruptedException {
        io.join();
    }

    @Override
    public XnioIoThread getIoThread(int index) {
        if (index != 0) {
            throw new IllegalArgumentException("the bot socket's worker has one IO thread, not " + (index + 1));
        }
        return io;
    }

    @Override
    public int getIoThreadCount() {
        return 1;
    }

    @Override
    protected XnioIoThread chooseThread() {
        return io;
    }

    /** Not registered anywhere: nothing here touches JMX (that is the point of this worker). */
    @Override
    public XnioWorkerMXBean getMXBean() {
        throw new UnsupportedOperationException("the bot socket's worker has no MXBean");
    }

    /** This worker opens no XNIO servers (the bridge accepts), so there is nothing to register. */
    @Override
    protected ManagementRegistration registerServerMXBean(XnioServerMXBean metrics) {
        return () -> { };
    }
}
