package clf.server.internal.cattle.capacity;

import clf.queue.sql.Schema;
import clf.queue.sql.SqlDatabase;
import clf.queue.sql.SqlEngine;
import clf.queue.sqlite.Database;
import clf.server.internal.cattle.fleet.Labels;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Capacity for cattle servers, held from the moment a spawn decides to create one until the
 * server is gone. The decision is one write transaction over a file every orchestrator process
 * of the host shares, so the limits hold across processes and restarts: the servers Hetzner
 * lists plus the spawns still in flight (reserved, not listed yet) must stay under the limits.
 *
 * <p>On the fleet's shared PostgreSQL the slots are the fleet's: every orchestrator spawning into
 * the Hetzner project reserves in one table, and a reservation takes a transaction-scoped
 * advisory lock first, so reservations run one at a time across hosts (PostgreSQL's READ
 * COMMITTED alone would let two hosts count the same slots and both insert).
 */
public final class SpawnSlots implements AutoCloseable {
    private static final String TABLE = """
            CREATE TABLE spawn_slots (
              job_id      TEXT    PRIMARY KEY,
              requester   TEXT    NOT NULL,
              reserved_at %s NOT NULL
            );
            CREATE INDEX spawn_slots_by_requester ON spawn_slots (requester);
            """;
    private static final Schema SQLITE_SCHEMA = new Schema("cattle capacity", List.of(TABLE.formatted("INTEGER")));
    private static final Schema POSTGRES_SCHEMA = new Schema("cattle capacity", List.of(TABLE.formatted("BIGINT")));
    /** The advisory lock a reservation holds on PostgreSQL: "clfcap" in ASCII. */
    private static final long RESERVE_LOCK = 0x636c66636170L;

    private final SqlDatabase database;
    /** False for the fleet's shared database: the daemon closes it after every store on it. */
    private final boolean ownsDatabase;
    private final Clock clock;

    private SpawnSlots(SqlDatabase database, boolean ownsDatabase, Clock clock) {
        this.database = database;
        this.ownsDatabase = ownsDatabase;
        this.clock = clock;
    }

    /** The slots of one host, in their own SQLite file. */
    public static SpawnSlots open(Path file, Clock clock) {
        return new SpawnSlots(Database.open(file, Duration.ofSeconds(10), SQLITE_SCHEMA), true, clock);
    }

    /** The slots in {@code database} (brought up to date first), which other stores share. */
    public static SpawnSlots open(SqlDatabase database, Clock clock) {
        database.migrate(database.engine() == SqlEngine.POSTGRESQL ? POSTGRES_SCHEMA : SQLITE_SCHEMA);
        return new SpawnSlots(database, false, clock);
    }

    /** A managed server as Hetzner lists it: whose job made it and its requester label (null if unknown). */
    public record Live(String jobId, String requester) {
    }

    /**
     * Reserves a slot for {@code jobId} unless that would exceed a limit. A job that already
     * holds a slot (a retry) keeps it.
     *
     * @param live the managed servers Hetzner lists right now
     * @return null if reserved, else why not (for the job's error)
     */
    public String reserve(String jobId, String requester, List<Live> live, int maxInstances, int maxPerRequester) {
        return database.write(session -> {
            if (database.engine() == SqlEngine.POSTGRESQL) {
                session.queryString("SELECT pg_advisory_xact_lock(?)", RESERVE_LOCK);
            }
            PreparedStatement mine = session.prepare("SELECT 1 FROM spawn_slots WHERE job_id = ?");
            mine.setString(1, jobId);
            try (ResultSet row = mine.executeQuery()) {
                if (row.next()) {
                    return null;
                }
            }
            // Reservations first: they name the requester exactly. A listed server counts once,
            // by its job; one without a job label (made outside clf) counts by its labels.
            Set<String> counted = new HashSet<>();
            int total = 0;
            int forRequester = 0;
            try (ResultSet rows = session.prepare("SELECT job_id, requester FROM spawn_slots").executeQuery()) {
                while (rows.next()) {
                    counted.add(rows.getString(1));
                    total++;
                    forRequester += requester.equals(rows.getString(2)) ? 1 : 0;
                }
            }
            String requesterLabel = Labels.value(requester, "requester");
            for (Live server : live) {
                if (server.jobId() == null || counted.add(server.jobId())) {
                    total++;
                    forRequester += requesterLabel.equals(server.requester()) ? 1 : 0;
                }
            }
            if (total >= maxInstances) {
                return "max instances reached (" + total + "/" + maxInstances + ")";
            }
            if (forRequester >= maxPerRequester) {
                return "max instances per requester reached for " + requester + " (" + forRequester + "/"
                        + maxPerRequester + ")";
            }
            PreparedStatement insert = session.prepare(
                    "INSERT INTO spawn_slots (job_id, requester, reserved_at) VALUES (?, ?, ?)");
            insert.setString(1, jobId);
            insert.setString(2, requester);
            insert.setLong(3, clock.millis());
            insert.executeUpdate();
            return null;
        });
    }

    /**
     * Slots held now by every process sharing the file: servers that exist or are being made,
     * as counted against {@code CLF_CATTLE_MAX_INSTANCES}.
     */
    public int held() {
        return database.read(session -> (int) session.queryLong("SELECT count(*) FROM spawn_slots").orElse(0));
    }

    /** Frees the slot of a job whose server is gone (deleted, or never made). */
    public void release(String jobId) {
        database.write(session -> {
            PreparedStatement delete = session.prepare("DELETE FROM spawn_slots WHERE job_id = ?");
            delete.setString(1, jobId);
            return delete.executeUpdate();
        });
    }

    /**
     * Frees the slots that hold capacity for no server (the reap's sweep): a slot whose job has
     * no server among {@code listed}, and whose job can make none any more ({@code ended}: done,
     * failed, canceled or pruned; a daemon killed while deleting the server, or before its
     * create, leaves such slots), or that is older than {@code olderThan} whatever its job says.
     * Freeing the slot of a server Hetzner listed after {@code listed} was read is harmless:
     * {@link #reserve} counts listed servers by themselves.
     */
    public int releaseUnused(Set<String> listed, Predicate<String> ended, Duration olderThan) {
        long cutoff = clock.millis() - olderThan.toMillis();
        Map<String, Long> serverless = database.read(session -> {
            Map<String, Long> slots = new LinkedHashMap<>();
            try (ResultSet rows = session.prepare("SELECT job_id, reserved_at FROM spawn_slots").executeQuery()) {
                while (rows.next()) {
                    if (!listed.contains(rows.getString(1))) {
                        slots.put(rows.getString(1), rows.getLong(2));
                    }
                }
            }
            return slots;
        });
        // The job store is asked outside the write: an ended job never starts again, so the
        // answer cannot go stale before the delete, which spares a slot reserved anew meanwhile.
        Map<String, Long> unused = new LinkedHashMap<>();
        serverless.forEach((jobId, reservedAt) -> {
            if (reservedAt < cutoff || ended.test(jobId)) {
                unused.put(jobId, reservedAt);
            }
        });
        if (unused.isEmpty()) {
            return 0;
        }
        return database.write(session -> {
            int released = 0;
            PreparedStatement delete = session.prepare("DELETE FROM spawn_slots WHERE job_id = ? AND reserved_at = ?");
            for (Map.Entry<String, Long> slot : unused.entrySet()) {
                delete.setString(1, slot.getKey());
                delete.setLong(2, slot.getValue());
                released += delete.executeUpdate();
            }
            return released;
        });
    }

    @Override
    public void close() {
        if (ownsDatabase) {
            database.close();
        }
    }
}
