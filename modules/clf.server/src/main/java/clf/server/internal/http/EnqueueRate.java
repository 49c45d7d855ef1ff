package clf.server.internal.http;

import clf.queue.sql.Schema;
import clf.queue.sql.SqlDatabase;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Each requester's enqueue rate: a token bucket per requester that holds {@code burst} tokens and
 * gains {@code perSecond} a second. On one host ({@link #inMemory}): in memory, a restart forgives,
 * which costs at most one burst. In a fleet ({@link #shared}): one row per requester in the
 * shared PostgreSQL, so a bot that spreads its enqueues over several hosts still gets one rate;
 * each take is one upsert that refills and takes under the row's lock, timed by the database
 * server's clock (one clock for the fleet, whatever the hosts' clocks say).
 */
public final class EnqueueRate {
    private static final Schema SHARED_SCHEMA = new Schema("enqueue rates", List.of("""
            CREATE TABLE enqueue_rates (
              requester TEXT             PRIMARY KEY,
              tokens    DOUBLE PRECISION NOT NULL,  -- after the last take or give-back
              at_ms     BIGINT           NOT NULL,  -- when tokens was right, server clock
              taken     BOOLEAN          NOT NULL   -- whether the last take got a token
            );
            """));
    /** Refill to now (server clock), then take one if there is one; answers the tokens left and whether it took. */
    private static final String TAKE = """
            WITH now AS (SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint AS ms)
            INSERT INTO enqueue_rates AS r (requester, tokens, at_ms, taken)
            SELECT ?, ? - 1, now.ms, true FROM now
            ON CONFLICT (requester) DO UPDATE SET
              tokens = least(?, r.tokens + greatest(0, excluded.at_ms - r.at_ms) / 1000.0 * ?)
                       - CASE WHEN least(?, r.tokens + greatest(0, excluded.at_ms - r.at_ms) / 1000.0 * ?) >= 1
                              THEN 1 ELSE 0 END,
              taken  = least(?, r.tokens + greatest(0, excluded.at_ms - r.at_ms) / 1000.0 * ?) >= 1,
              at_ms  = greatest(r.at_ms, excluded.at_ms)
            RETURNING tokens, taken
            """;

    /** Buckets kept at most; past this, full ones (requesters idle for a while) are dropped. */
    private static final int MAX_BUCKETS = 10_000;

    /** The fleet's database holding the buckets; null: in this process's {@link #buckets}. */
    private final SqlDatabase shared;
    private final double perSecond;
    private final int burst;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new HashMap<>();

    private EnqueueRate(SqlDatabase shared, int perSecond, int burst, LongSupplier nanoTime) {
        this.shared = shared;
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    /** This host's buckets, in memory (SQLite: one host is the whole fleet). */
    public static EnqueueRate inMemory(int perSecond, int burst, LongSupplier nanoTime) {
        return new EnqueueRate(null, perSecond, burst, nanoTime);
    }

    /** The fleet's buckets in {@code database} (brought up to date first), shared by every host on it. */
    public static EnqueueRate shared(SqlDatabase database, int perSecond, int burst) {
        database.migrate(SHARED_SCHEMA);
        return new EnqueueRate(database, perSecond, burst, System::nanoTime);
    }

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }

    /**
     * Takes one of {@code requester}'s tokens.
     *
     * @return 0 if taken; otherwise the milliseconds until one is there
     */
    long take(String requester) {
        return shared != null ? takeShared(requester) : takeInMemory(requester);
    }

    private long takeShared(String requester) {
        // One statement that commits itself: one round trip.
        double left = shared.writeAutoCommit(session -> {
            PreparedStatement take = session.prepare(TAKE);
            take.setString(1, requester);
            take.setDouble(2, burst);
            for (int i = 3; i <= 7; i += 2) {
                take.setDouble(i, burst);
                take.setDouble(i + 1, perSecond);
            }
            try (ResultSet row = take.executeQuery()) {
                row.next();
                return row.getBoolean(2) ? Double.NaN : row.getDouble(1);
            }
        });
        return Double.isNaN(left) ? 0 : millisUntilToken(left);
    }

    private long millisUntilToken(double tokens) {
        return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond * 1000));
    }

    private synchronized long takeInMemory(String requester) {
        long now = nanoTime.getAsLong();
        Bucket bucket = refilled(requester, now);
        if (bucket.tokens >= 1) {
            bucket.tokens -= 1;
            return 0;
        }
        return millisUntilToken(bucket.tokens);
    }

    /** Gives back a token taken for an enqueue that stored nothing (a dedupe hit). */
    void giveBack(String requester) {
        if (shared != null) {
            shared.writeAutoCommit(session -> {
                PreparedStatement give = session.prepare(
                        "UPDATE enqueue_rates SET tokens = least(?, tokens + 1) WHERE requester = ?");
                give.setDouble(1, burst);
                give.setString(2, requester);
                return give.executeUpdate();
            });
            return;
        }
        giveBackInMemory(requester);
    }

    private synchronized void giveBackInMemory(String requester) {
        Bucket bucket = buckets.get(requester);
        if (bucket != null) {
            bucket.tokens = Math.min(burst, bucket.tokens + 1);
        }
    }

    private Bucket refilled(String requester, long now) {
        Bucket bucket = buckets.get(requester);
        if (bucket == null) {
            if (buckets.size() >= MAX_BUCKETS) {
                dropFull(now);
            }
            bucket = new Bucket(burst, now);
            buckets.put(requester, bucket);
            return bucket;
        }
        bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.at) / 1e9 * perSecond);
        bucket.at = now;
        return bucket;
    }

    private void dropFull(long now) {
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
            Bucket bucket = it.next();
            if (bucket.tokens + (now - bucket.at) / 1e9 * perSecond >= burst) {
                it.remove();
            }
        }
    }
}
