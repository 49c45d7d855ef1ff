package clf.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import com.fasterxml.jackson.jr.ob.JSON;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The wire form of {@code /v1/status} and {@code /healthz}, as the CLI reads what the daemon writes. */
class StatusReportTest {
    static final Instant AT = Instant.parse("2026-11-27T12:10:00.250Z");

    static StatusReport full() {
        Map<String, Health.Check> checks = new LinkedHashMap<>();
        checks.put(Health.DATABASE, Health.Check.well("a query answered in 0.3 ms"));
        checks.put(Health.WORKERS, Health.Check.failing("1 of 2 alive, 0 busy, 0 past their lease"));
        Histogram waits = new Histogram(List.of(0.1, 1.0), List.of(1L, 2L, 2L), 0.6);
        return new StatusReport("1.2.3", AT.minusSeconds(600), AT, new Health(checks),
                new StatusReport.Jobs(List.of(new StatusReport.Count("cattle.spawn", WireStatus.QUEUED, 2)), 1,
                        AT.minusSeconds(3)),
                new StatusReport.Workers(2, 1, 0, 0, List.of("cattle.spawn")),
                List.of(new StatusReport.Timing("cattle.spawn", null, waits)),
                List.of(new StatusReport.Timing("cattle.spawn", "done", waits)),
                new StatusReport.Cattle(3, 10,
                        new StatusReport.Tokens(4, 2, 1, Map.of("invalid", 1L, "used", 0L), 1),
                        new StatusReport.Hetzner(Map.of(200, 12L, 503, 1L), 1, 3600L, 3580L,
                                Instant.ofEpochSecond(1_800_000_000L))),
                new StatusReport.Store("PostgreSQL", "postgresql://clf@db.example:5432/clf", 0.0003));
    }

    /** What the CLI gets: the report written to JSON text and parsed back into plain values. */
    static Object overTheWire(StatusReport report) throws Exception {
        return JSON.std.anyFrom(JSON.std.with(JSON.Feature.WRITE_NULL_PROPERTIES).asString(report.toJson()));
    }

    @Test
    void aReportRoundTripsThroughItsJson() throws Exception {
        StatusReport report = full();

        StatusReport read = StatusReport.fromJson(overTheWire(report));

        assertEquals(report, read);
        assertEquals(Duration.ofSeconds(3), read.jobs().oldestRunnableAge(read.at()).orElseThrow());
        assertEquals(1, read.cattle().tokens().refusedTotal());
        assertEquals(13, read.cattle().hetzner().answered(100, 599));
        assertEquals(14, read.cattle().hetzner().requests());
    }

    @Test
    void missingPartsRoundTripAsNulls() throws Exception {
        StatusReport full = full();
        StatusReport sparse = new StatusReport(full.version(), full.startedAt(), full.at(), full.health(), null,
                full.workers(), List.of(), List.of(), new StatusReport.Cattle(null, 10, null,
                        new StatusReport.Hetzner(Map.of(), 0, null, null, null)));

        StatusReport read = StatusReport.fromJson(overTheWire(sparse));

        assertEquals(sparse, read);
        assertNull(read.jobs());
        assertNull(read.store(), "a daemon from before issue 15 names no store");
    }

    @Test
    void theJsonHasProtocolVersionOneAndHealthInV1sShape() throws Exception {
        Map<String, Object> json = full().toJson();

        assertEquals(1, json.get("protocolVersion"));
        Map<?, ?> health = (Map<?, ?>) json.get("health");
        assertEquals(false, health.get("ok"));
        assertEquals(List.of(Health.WORKERS), health.get("failed"));
        assertEquals(2L, ((Map<?, ?>) json.get("jobs")).get("queued"));
        assertEquals(Map.of("200", 12L, "503", 1L), ((Map<?, ?>) ((Map<?, ?>) json.get("cattle")).get("hetzner"))
                .get("answers"));
        assertEquals(Map.of("engine", "PostgreSQL", "location", "postgresql://clf@db.example:5432/clf",
                "pingSeconds", 0.0003), json.get("store"));
        assertFalse(new Health(Map.of()).toJson().containsKey("protocolVersion"));
        assertTrue(new Health(Map.of()).ok(), "no checks, nothing failing");
    }

    @Test
    void aMalformedReportNamesTheField() throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) overTheWire(full());
        ((Map<String, Object>) json.get("workers")).put("busy", "lots");

        InvalidInputException bad = assertThrows(InvalidInputException.class, () -> StatusReport.fromJson(json));

        assertEquals("workers.busy: a whole number, got \"lots\" (a string)", bad.getMessage());
    }
}
