package clf.cli;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * One connection to a Unix socket through the JDK's own channel, every wait bounded by one
 * deadline. The daemon needs junixsocket (peer credentials, socket activation); a client needs
 * neither, and the JDK's channel spares each short clf process loading a native library and
 * junixsocket's initialization. Errors are the C library's text in a {@link SocketException}
 * ("No such file or directory", "Connection refused", "Permission denied"), which
 * {@link SocketClient#unreachable} reads.
 */
final class UnixConnection implements Closeable {
    /** How long to wait before trying again when the server's accept queue is full (EAGAIN). */
    private static final long BUSY_PAUSE_NANOS = 2_000_000;

    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final long deadline;

    private UnixConnection(SocketChannel channel, Selector selector, long deadline) throws IOException {
        this.channel = channel;
        this.selector = selector;
        this.key = channel.register(selector, 0);
        this.deadline = deadline;
    }

    /** Connects to {@code socket} by {@code deadline} ({@link System#nanoTime}), else SocketTimeoutException. */
    static UnixConnection open(Path socket, long deadline) throws IOException {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(socket);
        while (true) {
            // A refused connect closes the channel (the JDK's rule), so each try takes a new one.
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            UnixConnection connection = null;
            try {
                channel.configureBlocking(false);
                connection = new UnixConnection(channel, Selector.open(), deadline);
                if (!channel.connect(address)) {
                    connection.await(SelectionKey.OP_CONNECT);
                    channel.finishConnect();
                }
                return connection;
            } catch (IOException | RuntimeException e) {
                if (connection != null) {
                    connection.close();
                } else {
                    channel.close();
                }
                if (!(e instanceof SocketException busy && isBusy(busy))) {
                    throw e;
                }
                remainingMillis(deadline);
                LockSupport.parkNanos(BUSY_PAUSE_NANOS);
            }
        }
    }

    /** A Unix socket's connect fails with EAGAIN, not EINPROGRESS, while the accept queue is full. */
    private static boolean isBusy(SocketException e) {
        return "Resource temporarily unavailable".equals(e.getMessage());
    }

    void write(byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            if (channel.write(buffer) == 0) {
                await(SelectionKey.OP_WRITE);
            }
        }
    }

    /** The bytes the server sends, each read waiting at most until the deadline. */
    InputStream input() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] bytes, int offset, int length) throws IOException {
                if (length == 0) {
                    return 0;
                }
                ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
                for (int n = channel.read(buffer); ; n = channel.read(buffer)) {
                    if (n != 0) {
                        return n;
                    }
                    await(SelectionKey.OP_READ);
                }
            }
        };
    }

    private void await(int operation) throws IOException {
        key.interestOps(operation);
        while (selector.select(remainingMillis(deadline)) == 0) {
            // Woken early or timed out: remainingMillis throws once the deadline has passed.
        }
        selector.selectedKeys().clear();
    }

    /** The milliseconds left until {@code deadline}; SocketTimeoutException once it has passed. */
    private static int remainingMillis(long deadline) throws SocketTimeoutException {
        long millis = (deadline - System.nanoTime()) / 1_000_000;
        if (millis <= 0) {
            throw new SocketTimeoutException();
        }
        return (int) Math.min(millis, Integer.MAX_VALUE);
    }

    @Override
    public void close() throws IOException {
        try {
            selector.close();
        } finally {
            channel.close();
        }
    }
}
