package clf.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The noisy bot of {@link NoisyNeighbourIT}, run as its own process under the bot's Unix user
 * (the daemon knows callers by their socket's peer credentials). Only java.base, so the image's
 * own {@code bin/java} runs it from a copy of its class files that the bot user can read.
 *
 * <p>{@code Flooder SOCKET ENQUEUES CONNECTIONS}: keeps CONNECTIONS connections open (opening again
 * any the daemon closes): a few carry its requests (keep-alive), the rest idle. Over them it sends
 * ENQUEUES spawns asking for the highest priority (one refused for it goes again without a
 * priority, as a bot that wants in would), with every 10th a fleet reap and with every 20th a
 * spawn whose {@code runAt} overflows. Prints {@code holding N ...} once the idle connections
 * are open, {@code flood ...} with what the daemon answered once the enqueues are sent, then
 * sends overflowing spawns on and on, holding its connections, until it is killed.
 */
final class Flooder {
    static final String POISONED_RUN_AT = "+999999999-12-31T23:59:59Z";
    private static final int THREADS = 8;

    private final Path socket;
    private final Map<String, Map<Integer, AtomicInteger>> answers = new ConcurrentHashMap<>();

    private Flooder(Path socket) {
        this.socket = socket;
    }

    public static void main(String[] args) throws Exception {
        Flooder flooder = new Flooder(Path.of(args[0]));
        int enqueues = Integer.parseInt(args[1]);
        int connections = Integer.parseInt(args[2]);
        // The request threads' own keep-alive connections count towards CONNECTIONS, and are opened first.
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        java.util.concurrent.CountDownLatch opened = new java.util.concurrent.CountDownLatch(THREADS);
        for (int i = 0; i < THREADS; i++) {
            pool.execute(() -> {
                try {
                    flooder.own.set(SocketChannel.open(UnixDomainSocketAddress.of(flooder.socket)));
                } catch (IOException e) {
                    // opened on its first request then
                }
                opened.countDown();
                try {
                    opened.await(); // so each thread opens its own
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        opened.await();
        List<SocketChannel> held = flooder.hold(connections - THREADS);
        System.out.println("holding " + held.stream().filter(SocketChannel::isOpen).count() + " and sending");
        System.out.flush();
        Thread keeper = new Thread(() -> flooder.keep(held), "keeper");
        keeper.setDaemon(true);
        keeper.start();

        for (int i = 0; i < enqueues; i++) {
            int n = i;
            pool.execute(() -> flooder.flood(n));
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.HOURS);
        System.out.println("flood " + flooder.summary());
        System.out.flush();
        while (true) { // goes on poisoning group commits, holding its connections, until killed
            flooder.post("poisoned runAt, after", spawn("poison-after", "\"runAt\":\"" + POISONED_RUN_AT + "\","));
            Thread.sleep(20);
        }
    }

    private void flood(int n) {
        int status = post("priority", spawn("flood-" + n, "\"priority\":2147483647,"));
        if (status == 403) {
            status = post("after 403", spawn("flood-" + n, ""));
        }
        if (n % 10 == 0) {
            post("reap", "{\"protocolVersion\":1,\"kind\":\"cattle.reap\",\"payload\":{\"dryRun\":false}}");
        }
        if (n % 20 == 0) {
            post("poisoned runAt", spawn("poison-" + n, "\"runAt\":\"" + POISONED_RUN_AT + "\","));
        }
    }

    private static String spawn(String key, String extra) {
        return "{\"protocolVersion\":1,\"kind\":\"cattle.spawn\",\"idempotencyKey\":\"" + key + "\"," + extra
                + "\"payload\":{\"identity\":\"rex\",\"ttl\":\"2h\",\"task\":{\"schemaVersion\":1,\"taskId\":\"" + key
                + "\",\"type\":\"clawdbot.gateway.agent\",\"message\":\"flood\"}}}";
    }

    /** Each request thread's keep-alive connection, opened again when the daemon closes it. */
    private final ThreadLocal<SocketChannel> own = new ThreadLocal<>();

    /** One request on the thread's keep-alive connection; the status, or -1 when none came (refused, cut). */
    private int post(String what, String body) {
        int status;
        try {
            status = exchange(body);
        } catch (IOException | RuntimeException e) {
            SocketChannel channel = own.get();
            own.remove();
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException ignored) {
                // a new one next time
            }
            status = -1;
        }
        answers.computeIfAbsent(what, k -> new ConcurrentHashMap<>()).computeIfAbsent(status, k -> new AtomicInteger())
                .incrementAndGet();
        return status;
    }

    private int exchange(String body) throws IOException {
        SocketChannel channel = own.get();
        if (channel == null) {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
            own.set(channel);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST /v1/jobs/enqueue HTTP/1.1\r\nHost: clf\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + bytes.length + "\r\n\r\n";
        ByteBuffer out = ByteBuffer.allocate(head.length() + bytes.length);
        out.put(head.getBytes(StandardCharsets.US_ASCII)).put(bytes).flip();
        while (out.hasRemaining()) {
            channel.write(out);
        }
        // The head, then as many body bytes as Content-Length says: the connection stays usable.
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        ByteBuffer in = ByteBuffer.allocate(1);
        while (!answer.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            in.clear();
            if (channel.read(in) < 0) {
                throw new IOException("closed in the head");
            }
            answer.write(in.array(), 0, 1);
        }
        String text = answer.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        ByteBuffer rest = ByteBuffer.allocate(length);
        while (rest.hasRemaining()) {
            if (channel.read(rest) < 0) {
                throw new IOException("closed in the body");
            }
        }
        if (text.toLowerCase(java.util.Locale.ROOT).contains("connection: close")) {
            channel.close();
            own.remove();
        }
        return Integer.parseInt(text.substring(9, 12));
    }

    private List<SocketChannel> hold(int count) {
        List<SocketChannel> held = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            held.add(open());
        }
        return held;
    }

    private SocketChannel open() {
        try {
            SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
            channel.configureBlocking(false);
            return channel;
        } catch (IOException e) {
            try {
                SocketChannel closed = SocketChannel.open();
                closed.close();
                return closed;
            } catch (IOException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }

    /** Every second: a held connection the daemon closed (or that never opened) is opened again. */
    private void keep(List<SocketChannel> held) {
        ByteBuffer sink = ByteBuffer.allocate(1024);
        while (true) {
            for (int i = 0; i < held.size(); i++) {
                SocketChannel channel = held.get(i);
                boolean closed = !channel.isOpen();
                if (!closed) {
                    try {
                        sink.clear();
                        closed = channel.read(sink) < 0;
                    } catch (IOException e) {
                        closed = true;
                    }
                }
                if (closed) {
                    try {
                        channel.close();
                    } catch (IOException ignored) {
                        // reopened below all the same
                    }
                    held.set(i, open());
                }
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private String summary() {
        Map<String, Map<Integer, Integer>> shown = new TreeMap<>();
        answers.forEach((what, statuses) -> {
            Map<Integer, Integer> counts = new TreeMap<>();
            statuses.forEach((status, count) -> counts.put(status, count.get()));
            shown.put(what, counts);
        });
        return shown.toString();
    }
}
