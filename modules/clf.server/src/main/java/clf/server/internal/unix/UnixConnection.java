package clf.server.internal.unix;

import clf.server.internal.auth.Caller;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.xnio.IoUtils;
import org.xnio.Option;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.channels.StreamSourceChannel;
import org.xnio.conduits.Conduits;
import org.xnio.conduits.ReadReadyHandler;
import org.xnio.conduits.StreamSinkConduit;
import org.xnio.conduits.StreamSourceConduit;
import org.xnio.conduits.WriteReadyHandler;

/**
 * One accepted bot-socket connection as an XNIO {@link StreamConnection}: Undertow reads and
 * writes junixsocket's non-blocking channel directly, and is told of readiness by the
 * connection's {@link UnixIoThread}. It carries the caller its peer credentials named.
 *
 * <p>Read and write interest are kept in {@link #wanted} and put on the selection key by the IO
 * thread only (junixsocket's selector reads the key's interest when it starts a poll); from
 * another thread a change is handed to the IO thread. What Undertow's read timeout needs is
 * offered as {@link Options#READ_TIMEOUT}: a connection that sends nothing for that long is
 * closed, even mid-request, as the bridge before it did.
 */
final class UnixConnection extends StreamConnection {
    /** A gathering write copies into one buffer up to this size, so a small response is one write(2). */
    private static final int GATHER_LIMIT = 16 * 1024;
    private static final ThreadLocal<ByteBuffer> GATHER = ThreadLocal.withInitial(
            () -> ByteBuffer.allocateDirect(GATHER_LIMIT));

    private final UnixIoThread loop;
    private final AFUNIXSocketChannel channel;
    private final Caller caller;
    private final Integer readTimeoutMs; // boxed once: Undertow's read-timeout conduit asks for it on every read
    private final Runnable closed;
    private final AtomicBoolean closedOnce = new AtomicBoolean();
    private final Conduit conduit = new Conduit();
    private final Object awaitLock = new Object();
    private SelectionKey key;
    /** poll(2) said readable and no read has happened since (IO thread only; see Conduit#readAfterPoll). */
    private boolean readableByPoll;
    /** Interest asked for by Undertow (resumed reads/writes) and by threads awaiting readiness. */
    private volatile int wanted;
    private int awaited; // guarded by awaitLock

    UnixConnection(UnixIoThread loop, AFUNIXSocketChannel channel, Caller caller, int readTimeoutMs, Runnable closed) {
        super(loop);
        this.loop = loop;
        this.channel = channel;
        this.caller = caller;
        this.readTimeoutMs = readTimeoutMs;
        this.closed = closed;
        setSourceConduit(conduit);
        setSinkConduit(conduit);
    }

    Caller caller() {
        return caller;
    }

    /** On the IO thread, before Undertow sees the connection. */
    void register() throws IOException {
        key = channel.register(loop.selector(), wanted, this);
    }

    /** On the IO thread: the selector found the channel ready, or hung up (then the key is invalid). */
    void ready(SelectionKey selected) {
        if (!selected.isValid()) {
            abort(); // POLLHUP/POLLERR: junixsocket's selector has closed the channel already
            return;
        }
        int ready = selected.readyOps() & selected.interestOps();
        readableByPoll = (ready & SelectionKey.OP_READ) != 0;
        if (ready != 0) {
            conduit.handleReady(ready);
        }
        // An await that timed out leaves its interest on the key: drop it, or poll(2) keeps
        // answering "writable" to nobody.
        int desired = interest();
        if (selected.isValid() && selected.interestOps() != desired) {
            selected.interestOps(desired);
        }
    }

    private void answered() {
        if (loop.inLoop()) {
            loop.answered();
        }
    }

    /** Ends the connection now: Undertow's handlers hear of it, then the channel closes. */
    void abort() {
        conduit.forceTermination();
        IoUtils.safeClose(this);
    }

    private synchronized void want(int ops, boolean on) {
        int now = on ? wanted | ops : wanted & ~ops;
        if (now != wanted) {
            wanted = now;
            applyInterest();
        }
    }

    private void applyInterest() {
        if (loop.inLoop()) {
            SelectionKey own = key;
            if (own != null && own.isValid()) {
                own.interestOps(interest());
            }
        } else {
            try {
                loop.execute(this::applyInterest);
            } catch (RuntimeException e) {
                IoUtils.safeClose(this); // the IO thread stopped: nobody will ever serve this connection
            }
        }
    }

    private int interest() {
        synchronized (awaitLock) {
            return wanted | awaited;
        }
    }

    private boolean wants(int op) {
        return (wanted & op) != 0;
    }

    @Override
    protected void closeAction() throws IOException {
        try {
            SelectionKey own = key;
            if (own != null) {
                own.cancel();
            }
            channel.close();
        } finally {
            synchronized (awaitLock) {
                awaitLock.notifyAll();
            }
            if (!loop.inLoop()) {
                loop.wake(); // the selector drops the closed channel on its next turn
            }
            if (closedOnce.compareAndSet(false, true)) {
                closed.run();
            }
        }
    }

    @Override
    protected void notifyReadClosed() {
        conduit.readTerminated();
        super.notifyReadClosed();
    }

    @Override
    protected void notifyWriteClosed() {
        conduit.writeTerminated();
        super.notifyWriteClosed();
    }

    @Override
    public SocketAddress getPeerAddress() {
        return channel.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalAddress() {
        return channel.getLocalSocketAddress();
    }

    @Override
    public boolean supportsOption(Option<?> option) {
        return option == Options.READ_TIMEOUT;
    }

    @Override
    public <T> T getOption(Option<T> option) {
        return option == Options.READ_TIMEOUT ? option.cast(readTimeoutMs) : null;
    }

    @Override
    public <T> T setOption(Option<T> option, T value) {
        return null; // nothing is settable; Undertow asks for none
    }

    /** Both directions of the channel, as Undertow's innermost conduit. */
    private final class Conduit implements StreamSourceConduit, StreamSinkConduit {
        private ReadReadyHandler readHandler;
        private WriteReadyHandler writeHandler;

        void handleReady(int ready) {
            int awaitedNow;
            synchronized (awaitLock) {
                awaitedNow = awaited & ready;
                if (awaitedNow != 0) {
                    awaited &= ~awaitedNow;
                    awaitLock.notifyAll();
                }
            }
            if (awaitedNow != 0) {
                applyInterest();
            }
            if ((ready & SelectionKey.OP_READ) != 0 && wants(SelectionKey.OP_READ)) {
                if (isReadShutdown()) {
                    suspendReads();
                } else if (readHandler != null) {
                    readHandler.readReady();
                }
            }
            if ((ready & SelectionKey.OP_WRITE) != 0 && wants(SelectionKey.OP_WRITE)) {
                if (isWriteShutdown()) {
                    suspendWrites();
                } else if (writeHandler != null) {
                    writeHandler.writeReady();
                }
            }
        }

        void forceTermination() {
            ReadReadyHandler read = readHandler;
            if (read != null) {
                read.forceTermination();
            }
            WriteReadyHandler write = writeHandler;
            if (write != null) {
                write.forceTermination();
            }
        }

        void readTerminated() {
            ReadReadyHandler read = readHandler;
            if (read != null) {
                read.terminated();
            }
        }

        void writeTerminated() {
            WriteReadyHandler write = writeHandler;
            if (write != null) {
                write.terminated();
            }
        }

        @Override
        public XnioWorker getWorker() {
            return loop.getWorker();
        }

        // --- reading

        @Override
        public int read(ByteBuffer dst) throws IOException {
            int n;
            try {
                n = channel.read(dst);
            } catch (ClosedChannelException e) {
                return -1;
            }
            boolean polled = readableByPoll;
            readableByPoll = false;
            if (n == 0 && polled && dst.hasRemaining()) {
                n = readAfterPoll(dst);
            }
            if (n == -1) {
                terminateReads();
            }
            return n;
        }

        /**
         * junixsocket's non-blocking channel read answers 0 both for "nothing yet" and for the
         * end of the stream (2.10.1 maps recv(2)'s 0 to EWOULDBLOCK). Its socket's stream read
         * tells them apart (-1 at the end), so after poll(2) said readable and the channel gave
         * nothing, one byte is asked of the stream: -1 is the peer's half-close, a byte is data
         * that came in between. Only then: the usual 0 after a drained request costs nothing more.
         */
        private int readAfterPoll(ByteBuffer dst) throws IOException {
            byte[] one = new byte[1];
            int n;
            try {
                n = channel.socket().getInputStream().read(one, 0, 1);
            } catch (ClosedChannelException e) {
                return -1;
            }
            if (n == 1) {
                dst.put(one[0]);
            }
            return n;
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            for (int i = offset; i < offset + length; i++) {
                if (dsts[i].hasRemaining()) {
                    return read(dsts[i]); // one buffer per call: a short read is allowed
                }
            }
            return 0;
        }

        @Override
        public long transferTo(long position, long count, FileChannel target) throws IOException {
            return target.transferFrom(channel, position, count);
        }

        @Override
        public long transferTo(long count, ByteBuffer throughBuffer, StreamSinkChannel target) throws IOException {
            return Conduits.transfer(this, count, throughBuffer, target);
        }

        @Override
        public void terminateReads() throws IOException {
            if (readClosed()) {
                try {
                    want(SelectionKey.OP_READ, false);
                    if (channel.isOpen()) {
                        channel.shutdownInput();
                    }
                } catch (IOException e) {
                    // the peer is gone already
                } finally {
                    readTerminated();
                }
            }
        }

        @Override
        public boolean isReadShutdown() {
            return UnixConnection.this.isReadShutdown();
        }

        @Override
        public void resumeReads() {
            want(SelectionKey.OP_READ, true);
        }

        @Override
        public void suspendReads() {
            want(SelectionKey.OP_READ, false);
        }

        @Override
        public void wakeupReads() {
            wakeup(SelectionKey.OP_READ);
        }

        @Override
        public boolean isReadResumed() {
            return wants(SelectionKey.OP_READ);
        }

        @Override
        public void awaitReadable() throws IOException {
            await(SelectionKey.OP_READ, 0);
        }

        @Override
        public void awaitReadable(long time, TimeUnit unit) throws IOException {
            await(SelectionKey.OP_READ, Math.max(1, unit.toNanos(time)));
        }

        @Override
        public XnioIoThread getReadThread() {
            return loop;
        }

        @Override
        public void setReadReadyHandler(ReadReadyHandler handler) {
            readHandler = handler;
        }

        // --- writing

        @Override
        public int write(ByteBuffer src) throws IOException {
            answered();
            return channel.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            if (length == 1) {
                return write(srcs[offset]);
            }
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                total += srcs[i].remaining();
            }
            if (total > GATHER_LIMIT) {
                long written = 0;
                for (int i = offset; i < offset + length; i++) {
                    int want = srcs[i].remaining();
                    int n = write(srcs[i]);
                    written += n;
                    if (n < want) {
                        break;
                    }
                }
                return written;
            }
            // Head and body in one write(2): one wake-up of the client, not two.
            answered();
            ByteBuffer gather = GATHER.get();
            gather.clear();
            for (int i = offset; i < offset + length; i++) {
                gather.put(srcs[i].duplicate());
            }
            gather.flip();
            int written = channel.write(gather);
            int left = written;
            for (int i = offset; i < offset + length && left > 0; i++) {
                int step = Math.min(left, srcs[i].remaining());
                srcs[i].position(srcs[i].position() + step);
                left -= step;
            }
            return written;
        }

        @Override
        public int writeFinal(ByteBuffer src) throws IOException {
            return Conduits.writeFinalBasic(this, src);
        }

        @Override
        public long writeFinal(ByteBuffer[] srcs, int offset, int length) throws IOException {
            return Conduits.writeFinalBasic(this, srcs, offset, length);
        }

        @Override
        public long transferFrom(FileChannel src, long position, long count) throws IOException {
            return src.transferTo(position, count, channel);
        }

        @Override
        public long transferFrom(StreamSourceChannel source, long count, ByteBuffer throughBuffer) throws IOException {
            return Conduits.transfer(source, count, throughBuffer, this);
        }

        @Override
        public boolean flush() {
            return true; // nothing is buffered here
        }

        @Override
        public void terminateWrites() throws IOException {
            if (writeClosed()) {
                try {
                    want(SelectionKey.OP_WRITE, false);
                    if (channel.isOpen()) {
                        channel.shutdownOutput();
                    }
                } catch (IOException e) {
                    // the peer is gone already
                } finally {
                    writeTerminated();
                }
            }
        }

        @Override
        public void truncateWrites() throws IOException {
            terminateWrites();
        }

        @Override
        public boolean isWriteShutdown() {
            return UnixConnection.this.isWriteShutdown();
        }

        @Override
        public void resumeWrites() {
            want(SelectionKey.OP_WRITE, true);
        }

        @Override
        public void suspendWrites() {
            want(SelectionKey.OP_WRITE, false);
        }

        @Override
        public void wakeupWrites() {
            wakeup(SelectionKey.OP_WRITE);
        }

        @Override
        public boolean isWriteResumed() {
            return wants(SelectionKey.OP_WRITE);
        }

        @Override
        public void awaitWritable() throws IOException {
            await(SelectionKey.OP_WRITE, 0);
        }

        @Override
        public void awaitWritable(long time, TimeUnit unit) throws IOException {
            await(SelectionKey.OP_WRITE, Math.max(1, unit.toNanos(time)));
        }

        @Override
        public XnioIoThread getWriteThread() {
            return loop;
        }

        @Override
        public void setWriteReadyHandler(WriteReadyHandler handler) {
            writeHandler = handler;
        }

        /** Resumes {@code op} and runs its handler on the IO thread soon, ready or not (XNIO's wakeup). */
        private void wakeup(int op) {
            want(op, true);
            try {
                loop.execute(() -> {
                    if (isOpen()) {
                        handleReady(op);
                    }
                });
            } catch (RuntimeException e) {
                IoUtils.safeClose(UnixConnection.this);
            }
        }

        /** Blocks a worker thread until {@code op} is ready, the connection closes, or {@code nanos} pass (0: no limit). */
        private void await(int op, long nanos) throws IOException {
            Xnio.checkBlockingAllowed();
            if (loop.inLoop()) {
                throw new IllegalStateException("blocking on the bot socket's IO thread");
            }
            long deadline = System.nanoTime() + nanos;
            synchronized (awaitLock) {
                awaited |= op;
            }
            applyInterest();
            synchronized (awaitLock) {
                try {
                    while ((awaited & op) != 0 && isOpen()) {
                        long left = nanos == 0 ? 0 : deadline - System.nanoTime();
                        if (nanos != 0 && left <= 0) {
                            break;
                        }
                        awaitLock.wait(nanos == 0 ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted awaiting the bot socket");
                } finally {
                    awaited &= ~op;
                }
            }
        }
    }
}
