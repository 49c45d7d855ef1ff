package clf.server.internal.unix;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import org.newsclub.net.unix.AFUNIXSocket;
import org.xnio.IoUtils;

/**
 * Answers a connection that is not served with one HTTP error and closes it, off the accept
 * thread. A refused connection never takes a served connection's place: it holds one of a few
 * refusal places for at most {@link #LINGER_MS}; when those are busy (a flood of refused
 * connections) it is closed without an answer.
 *
 * <p>The answer is written at once, then the request is read and dropped until the client
 * closes or the linger time ends, so a client still sending its request does not get a reset
 * instead of the answer.
 */
final class Refusals {
    static final int CONCURRENT = 16;
    static final int LINGER_MS = 1_000;
    private static final int DRAIN_LIMIT = 64 * 1024;

    private final ExecutorService threads;
    private final Semaphore places = new Semaphore(CONCURRENT);

    Refusals(ExecutorService threads) {
        this.threads = threads;
    }

    /** Answers {@code status} with {@code body} (JSON) on {@code socket}, then closes it. */
    void refuse(AFUNIXSocket socket, int status, String reason, byte[] body) {
        if (!places.tryAcquire()) {
            IoUtils.safeClose(socket);
            return;
        }
        try {
            threads.execute(() -> {
                try {
                    answer(socket, status, reason, body);
                } finally {
                    IoUtils.safeClose(socket);
                    places.release();
                }
            });
        } catch (RuntimeException e) { // the pool was shut down: the daemon is stopping
            IoUtils.safeClose(socket);
            places.release();
        }
    }

    private static void answer(AFUNIXSocket socket, int status, String reason, byte[] body) {
        String head = "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n";
        try {
            socket.setSoTimeout(LINGER_MS);
            byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
            byte[] whole = new byte[headBytes.length + body.length];
            System.arraycopy(headBytes, 0, whole, 0, headBytes.length);
            System.arraycopy(body, 0, whole, headBytes.length, body.length);
            OutputStream out = socket.getOutputStream();
            out.write(whole); // one write: a client reading once gets the whole answer
            out.flush();
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            long deadline = System.nanoTime() + LINGER_MS * 1_000_000L;
            int read = 0;
            int n;
            while (read < DRAIN_LIMIT && System.nanoTime() < deadline && (n = in.read(buffer)) > 0) {
                read += n;
            }
        } catch (IOException e) {
            // the client left or stayed silent: it had its answer, or wanted none
        }
    }
}
