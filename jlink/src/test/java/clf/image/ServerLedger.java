package clf.image;

import clf.hetzner.sim.SimListener;
import clf.hetzner.sim.SimServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every server the simulator ever made and when it was deleted, kept by the harness (the
 * simulator forgets a server once it is gone): the record against which duplicate servers and
 * servers outliving their TTL are counted.
 */
final class ServerLedger implements SimListener {
    /** One server: its job label, its expires-at label, and when DELETE reached it (null: never). */
    static final class Entry {
        final SimServer server;
        final String jobId;
        final Instant expiresAt;
        volatile Instant deletedAt;

        Entry(SimServer server) {
            this.server = server;
            this.jobId = server.labels().get("clf-job-id");
            String expires = server.labels().get("expires-at");
            this.expiresAt = expires == null ? null : Instant.ofEpochSecond(Long.parseLong(expires));
        }
    }

    private final Map<Long, Entry> byId = new LinkedHashMap<>();

    @Override
    public synchronized void serverCreated(SimServer server) {
        byId.put(server.id(), new Entry(server));
    }

    @Override
    public synchronized void serverDeleted(SimServer server) {
        Entry entry = byId.get(server.id());
        if (entry != null && entry.deletedAt == null) {
            entry.deletedAt = Instant.now();
        }
    }

    synchronized List<Entry> entries() {
        return List.copyOf(byId.values());
    }

    /** Servers by the job that made them (its clf-job-id label), in order of creation. */
    synchronized Map<String, List<Entry>> byJob() {
        Map<String, List<Entry>> jobs = new HashMap<>();
        for (Entry entry : byId.values()) {
            jobs.computeIfAbsent(String.valueOf(entry.jobId), id -> new ArrayList<>()).add(entry);
        }
        return jobs;
    }

    /** How long each deleted server lived past its expires-at label (zero if deleted before), in ms. */
    synchronized List<Long> overstaysMs() {
        List<Long> overstays = new ArrayList<>();
        for (Entry entry : byId.values()) {
            if (entry.deletedAt != null && entry.expiresAt != null) {
                overstays.add(Math.max(0, Duration.between(entry.expiresAt, entry.deletedAt).toMillis()));
            }
        }
        return overstays;
    }
}
