package clf.image;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * A bot that enqueues over the daemon's Unix socket as a careful client would while the daemon
 * is being killed: a connection that cannot be opened sent nothing, so it tries again until the
 * daemon is back; a connection that dies after the request went out leaves the outcome unknown,
 * so it sends the request again only if it carries an idempotency key (the daemon must dedupe
 * it) and otherwise gives the enqueue up as lost to the client. Every case is counted.
 */
final class RetryingBot {
    /** Between tries while the daemon is down. */
    private static final Duration PAUSE = Duration.ofMillis(50);

    private final Path socket;
    private final Duration giveUpAfter;
    final AtomicInteger accepted = new AtomicInteger();
    final AtomicInteger keyed = new AtomicInteger();
    /** Connects refused or failed (nothing sent): the daemon was down or not yet listening. */
    final AtomicInteger connectFailures = new AtomicInteger();
    /** Requests with a key whose connection died after sending, and that were sent again. */
    final AtomicInteger resentAfterCut = new AtomicInteger();
    /** Resent requests the daemon answered {@code deduped: true}: the first one had been stored. */
    final AtomicInteger dedupes = new AtomicInteger();
    /** Requests without a key whose connection died after sending: the client cannot know. */
    final AtomicInteger lostUnkeyed = new AtomicInteger();
    /** Run once, right after the next request with a key is written; true: its connection died. */
    private final AtomicReference<BooleanSupplier> afterNextKeyedSend = new AtomicReference<>();
    private final List<String> refusals = new ArrayList<>();
    private final List<String> gaveUp = new ArrayList<>();

    /** A 200 answer: the job the daemon names, and whether it said the key was known. */
    record Enqueued(String kind, String jobId, boolean deduped, String requester, String key) {
    }

    RetryingBot(Path socket, Duration giveUpAfter) {
        this.socket = socket;
        this.giveUpAfter = giveUpAfter;
    }

    /**
     * Enqueues {@code kind} for {@code requester} (the harness is an operator, so it may name one).
     *
     * @param key an idempotency key, or null
     * @return the answer, or null if the daemon refused it, the answer was lost without a key, or
     *         the daemon stayed unreachable for {@link #giveUpAfter}
     */
    Enqueued enqueue(String kind, String requester, Map<String, Object> payload, String key)
            throws InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("protocolVersion", 1);
        body.put("kind", kind);
        body.put("requester", requester);
        if (key != null) {
            body.put("idempotencyKey", key);
            keyed.incrementAndGet();
        }
        body.put("payload", payload);
        String request;
        try {
            request = UnixHttp.request("POST", "/v1/jobs/enqueue", JSON.std.asString(body));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the enqueue body", e);
        }
        long deadline = System.nanoTime() + giveUpAfter.toNanos();
        boolean resent = false;
        while (true) {
            if (System.nanoTime() > deadline) {
                synchronized (gaveUp) {
                    gaveUp.add(kind + " for " + requester + (key == null ? "" : " key " + key));
                }
                return null;
            }
            UnixHttp http;
            try {
                http = UnixHttp.connect(socket);
            } catch (IOException e) {
                connectFailures.incrementAndGet();
                Thread.sleep(PAUSE.toMillis());
                continue;
            }
            UnixHttp.Response response;
            try (http) {
                http.write(request);
                BooleanSupplier hook = key == null ? null : afterNextKeyedSend.getAndSet(null);
                if (hook != null && hook.getAsBoolean()) {
                    throw new IOException("the connection died in a kill");
                }
                response = http.read();
                if (response == null) {
                    throw new IOException("closed without an answer");
                }
            } catch (IOException cut) {
                if (key == null) {
                    lostUnkeyed.incrementAndGet();
                    return null;
                }
                resentAfterCut.incrementAndGet();
                resent = true;
                Thread.sleep(PAUSE.toMillis());
                continue;
            }
            Map<String, Object> json = response.json();
            if (response.status() != 200 || json == null || !(json.get("jobId") instanceof String jobId)) {
                synchronized (refusals) {
                    refusals.add(kind + ": " + response);
                }
                return null;
            }
            boolean deduped = Boolean.TRUE.equals(json.get("deduped"));
            if (resent && deduped) {
                dedupes.incrementAndGet();
            }
            accepted.incrementAndGet();
            return new Enqueued(kind, jobId, deduped, requester, key);
        }
    }

    /**
     * Runs {@code hook} on the bot's thread right after its next request with an idempotency key
     * is written, before the answer is read (e.g. a kill of the daemon); when it returns true the
     * connection counts as died and the answer, if any came, as lost. False if one is pending.
     */
    boolean afterNextKeyedSend(BooleanSupplier hook) {
        return afterNextKeyedSend.compareAndSet(null, hook);
    }

    /** Takes back a hook that has not run; true if it had not. */
    boolean cancelAfterNextKeyedSend() {
        return afterNextKeyedSend.getAndSet(null) != null;
    }

    /** Answers other than 200: a valid request must never get one. */
    List<String> refusals() {
        synchronized (refusals) {
            return List.copyOf(refusals);
        }
    }

    /** Enqueues given up because the daemon stayed unreachable. */
    List<String> gaveUp() {
        synchronized (gaveUp) {
            return List.copyOf(gaveUp);
        }
    }
}
