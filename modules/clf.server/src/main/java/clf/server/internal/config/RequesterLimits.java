package clf.server.internal.config;

import clf.protocol.Ttl;
import java.time.Duration;

/**
 * What one requester may ask of the shared queue, so that one bot cannot crowd out the others
 * (issue 11). Operators are held to none of these but {@link #maxRunAtAhead}.
 *
 * @param botMaxPriority          bots may use priorities from {@code -botMaxPriority} to {@code botMaxPriority}
 * @param maxActive               a bot's queued and running jobs, at most
 * @param enqueuesPerSecond       a bot's sustained enqueue rate
 * @param enqueueBurst            enqueues a bot may make at once before the rate applies
 * @param maxQueuedPayloadBytes   bytes of payload a bot may have waiting in the queue
 * @param maxRunAtAhead           how far ahead anyone's {@code runAt} may be
 */
public record RequesterLimits(int botMaxPriority, int maxActive, int enqueuesPerSecond, int enqueueBurst,
        long maxQueuedPayloadBytes, Duration maxRunAtAhead) {

    public static final String BOT_MAX_PRIORITY = "CLF_BOT_MAX_PRIORITY";
    public static final String MAX_ACTIVE = "CLF_MAX_ACTIVE_PER_REQUESTER";
    public static final String ENQUEUE_RATE = "CLF_ENQUEUE_RATE_PER_REQUESTER";
    public static final String ENQUEUE_BURST = "CLF_ENQUEUE_BURST_PER_REQUESTER";
    public static final String MAX_QUEUED_PAYLOAD = "CLF_MAX_QUEUED_PAYLOAD_BYTES_PER_REQUESTER";
    public static final String MAX_RUN_AT_AHEAD = "CLF_MAX_RUN_AT_AHEAD";

    /** The defaults of every variable. */
    public static RequesterLimits defaults() {
        return new RequesterLimits(10, 100, 10, 50, 4L * 1024 * 1024, Duration.ofDays(365));
    }

    /** Reads the variables, reporting bad values to {@code read}. */
    public static RequesterLimits fromEnv(EnvReader read) {
        RequesterLimits d = defaults();
        int priority = read.integer(BOT_MAX_PRIORITY, d.botMaxPriority(), 0, 1_000_000);
        int active = read.integer(MAX_ACTIVE, d.maxActive(), 1, 1_000_000);
        int rate = read.integer(ENQUEUE_RATE, d.enqueuesPerSecond(), 1, 100_000);
        int burst = read.integer(ENQUEUE_BURST, d.enqueueBurst(), 1, 1_000_000);
        // A job's payload may be 256 KiB, so a smaller cap would refuse jobs the API accepts.
        int payload = read.integer(MAX_QUEUED_PAYLOAD, (int) d.maxQueuedPayloadBytes(), 256 * 1024, Integer.MAX_VALUE);
        Duration ahead = read.parsed(MAX_RUN_AT_AHEAD, d.maxRunAtAhead(), raw -> Ttl.parse("value", raw));
        if (ahead.compareTo(Duration.ofDays(3650)) > 0) {
            read.problem(MAX_RUN_AT_AHEAD, "at most 3650d", Ttl.format(ahead));
            ahead = d.maxRunAtAhead();
        }
        return new RequesterLimits(priority, active, rate, burst, payload, ahead);
    }
}
