package clf.server.internal.cattle;

import clf.queue.sqlite.Database;
import clf.queue.sqlite.Schema;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Capacity for cattle servers, held from the moment a spawn decides to create one until the
 * server is gone. The decision is one write transaction over a file every orchestrator process
 * of the host shares, so the limits hold across processes and restarts: the servers Hetzner
 * lists plus the spawns still in flight (reserved, not listed yet) must stay under the limits.
 */
public final class SpawnSlots implements AutoCloseable {
    private static final Schema SCHEMA = new Schema("cattle capacity", List.of("""
            CREATE TABLE spawn_slots (
              job_id      TEXT    PRIMARY KEY,
              requester   TEXT    NOT NULL,
              reserved_at INTEGER NOT NULL
            );
            CREATE INDEX spawn_slots_by_requester ON spawn_slots (requester);
            """));

    private final Database database;
    private final Clock clock;

    private SpawnSlots(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    public static SpawnSlots open(Path file, Clock clock) {
        return new SpawnSlots(Database.open(file, Duration.ofSeconds(10), SCHEMA), clock);
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
        return database.read(session -> {
            try (ResultSet rows = session.prepare("SELECT count(*) FROM spawn_slots").executeQuery()) {
                return rows.next() ? rows.getInt(1) : 0;
            }
        });
    }

    /** Frees the slot of a job whose server is gone (deleted, or never made). */
    public void release(String jobId) {
        database.write(session -> {
            PreparedStatement delete = session.prepare("DELETE FROM spawn_slots WHERE job_id = ?");
            delete.setString(1, jobId);
            return delete.executeUpdate();
        });
    }

    /** Frees every slot whose job is not among {@code keep} (reap: servers that no longer exist). */
    public int releaseAllExcept(Set<String> keep, Duration olderThan) {
        long cutoff = clock.millis() - olderThan.toMillis();
        return database.write(session -> {
            int released = 0;
            PreparedStatement select = session.prepare("SELECT job_id FROM spawn_slots WHERE reserved_at < ?");
            select.setLong(1, cutoff);
            List<String> stale = new java.util.ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    if (!keep.contains(rows.getString(1))) {
                        stale.add(rows.getString(1));
                    }
                }
            }
            PreparedStatement delete = session.prepare("DELETE FROM spawn_slots WHERE job_id = ?");
            for (String jobId : stale) {
                delete.setString(1, jobId);
                released += delete.executeUpdate();
            }
            return released;
        });
    }

    @Override
    public void close() {
        database.close();
    }
}
