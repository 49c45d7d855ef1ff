package clf.server.internal.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.protocol.Health;
import clf.protocol.Histogram;
import clf.protocol.StatusReport;
import clf.protocol.WireStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rendering of a report into the text format, read back with the strict {@link Exposition} reader. */
class PrometheusTextTest {
    static final Instant STARTED = Instant.parse("2026-11-27T12:00:00Z");
    static final Instant AT = Instant.parse("2026-11-27T12:10:00.250Z");
    static final Histogram WAITS = new Histogram(List.of(0.1, 1.0), List.of(2L, 3L, 4L), 7.5);

    static StatusReport report(StatusReport.Jobs jobs, StatusReport.Cattle cattle, String version) {
        Health health = new Health(Map.of(Health.DATABASE, Health.Check.well("fine")));
        return new StatusReport(version, STARTED, AT, health, jobs,
                new StatusReport.Workers(2, 2, 1, 0, List.of("cattle.reap", "cattle.spawn")),
                List.of(new StatusReport.Timing("cattle.spawn", null, WAITS)),
                List.of(new StatusReport.Timing("cattle.spawn", "done", WAITS),
                        new StatusReport.Timing("cattle.spawn", "retry_scheduled", WAITS)),
                cattle);
    }

    static final StatusReport.Jobs JOBS = new StatusReport.Jobs(List.of(
            new StatusReport.Count("cattle.spawn", WireStatus.QUEUED, 3),
            new StatusReport.Count("cattle.spawn", WireStatus.DONE, 7),
            new StatusReport.Count("clf.prune", WireStatus.DONE, 1)), 2, AT.minusSeconds(90));

    static final StatusReport.Cattle CATTLE = new StatusReport.Cattle(4, 10,
            new StatusReport.Tokens(5, 3, 1, Map.of("invalid", 2L, "expired", 0L), 1),
            new StatusReport.Hetzner(Map.of(200, 40L, 201, 4L, 429, 1L), 2, 3600L, 3555L,
                    Instant.ofEpochSecond(1_800_000_000L)));

    @Test
    void everyFigureIsThereAndTheTextIsStrictlyValid() {
        String text = PrometheusText.render(report(JOBS, CATTLE, "1.2.3"));
        Map<String, Exposition.Family> m = Exposition.parse(text);

        assertEquals(1, m.get("clf_build_info").value("version", "1.2.3"));
        assertEquals(1_795_780_800, m.get("clf_start_time_seconds").value());
        assertEquals(1, m.get("clf_health_check_ok").value("check", "database"));
        assertEquals(3, m.get("clf_jobs").value("kind", "cattle.spawn", "status", "queued"));
        assertEquals(7, m.get("clf_jobs").value("kind", "cattle.spawn", "status", "done"));
        assertEquals(0, m.get("clf_jobs").value("kind", "cattle.reap", "status", "failed"),
                "every status of every handled kind is there, zeros too");
        assertEquals(1, m.get("clf_jobs").value("kind", "clf.prune", "status", "done"));
        assertEquals(15, m.get("clf_jobs").samples().size(), "3 kinds x 5 statuses");
        assertEquals(2, m.get("clf_jobs_runnable").value());
        assertEquals(90, m.get("clf_jobs_oldest_runnable_age_seconds").value());
        assertEquals(1, m.get("clf_workers_busy").value());
        assertEquals(2, m.get("clf_job_claim_latency_seconds")
                .sample("clf_job_claim_latency_seconds_bucket", "kind", "cattle.spawn", "le", "0.1"));
        assertEquals(4, m.get("clf_job_claim_latency_seconds")
                .sample("clf_job_claim_latency_seconds_bucket", "kind", "cattle.spawn", "le", "+Inf"));
        assertEquals(7.5, m.get("clf_job_handler_duration_seconds")
                .sample("clf_job_handler_duration_seconds_sum", "kind", "cattle.spawn", "outcome", "retry_scheduled"));
        assertEquals(4, m.get("clf_cattle_servers").value());
        assertEquals(10, m.get("clf_cattle_max_instances").value());
        assertEquals(5, m.get("clf_bootstrap_tokens_issued_total").value());
        assertEquals(2, m.get("clf_bootstrap_tokens_refused_total").value("reason", "invalid"));
        assertEquals(1, m.get("clf_bootstrap_tokens_expired_unused").value());
        assertEquals(1, m.get("clf_hetzner_requests_total").value("class", "4xx", "code", "429"));
        assertEquals(4, m.get("clf_hetzner_requests_total").value("class", "2xx", "code", "201"));
        assertEquals(2, m.get("clf_hetzner_transport_failures_total").value());
        assertEquals(3555, m.get("clf_hetzner_ratelimit_remaining").value());
        assertEquals(3600, m.get("clf_hetzner_ratelimit_limit").value());
        assertEquals(1_800_000_000L, m.get("clf_hetzner_ratelimit_reset_timestamp_seconds").value());
        assertTrue(text.contains("clf_job_claim_latency_seconds_bucket{kind=\"cattle.spawn\",le=\"0.1\"} 2\n"), text);
        assertTrue(text.contains("clf_start_time_seconds 1795780800\n"), "whole numbers without a fraction: " + text);
    }

    @Test
    void labelValuesAreEscaped() {
        String version = "a\"b\\c\nd";

        Map<String, Exposition.Family> m = Exposition.parse(PrometheusText.render(report(JOBS, CATTLE, version)));

        assertEquals(1, m.get("clf_build_info").value("version", version));
    }

    @Test
    void whatCouldNotBeReadIsLeftOutNotShownAsZero() {
        StatusReport.Cattle unreadable = new StatusReport.Cattle(null, 10, null,
                new StatusReport.Hetzner(Map.of(), 0, null, null, null));

        Map<String, Exposition.Family> m = Exposition.parse(PrometheusText.render(report(null, unreadable, "1")));

        for (String absent : List.of("clf_jobs", "clf_jobs_runnable", "clf_cattle_servers",
                "clf_bootstrap_tokens_issued_total", "clf_hetzner_ratelimit_remaining")) {
            assertFalse(m.containsKey(absent), absent);
        }
        assertEquals(0, m.get("clf_hetzner_transport_failures_total").value());
        assertEquals(10, m.get("clf_cattle_max_instances").value());
    }

    @Test
    void withoutCattleThereAreNoCattleFamilies() {
        Map<String, Exposition.Family> m = Exposition.parse(PrometheusText.render(report(JOBS, null, "1")));

        assertTrue(m.keySet().stream().noneMatch(name -> name.startsWith("clf_cattle")
                || name.startsWith("clf_hetzner") || name.startsWith("clf_bootstrap")), m.keySet().toString());
        assertEquals(90, m.get("clf_jobs_oldest_runnable_age_seconds").value());
    }

    @Test
    void numbersAreWrittenAsGoReadsThem() {
        assertEquals("3", PrometheusText.number(3.0));
        assertEquals("0.005", PrometheusText.number(0.005));
        assertEquals("+Inf", PrometheusText.number(Double.POSITIVE_INFINITY));
        assertEquals("NaN", PrometheusText.number(Double.NaN));
        assertEquals("100000000000000000000", PrometheusText.number(1e20));
        assertEquals("1795796213.885", PrometheusText.number(1_795_796_213.885));
        assertEquals("0.000000125", PrometheusText.number(1.25e-7));
        assertEquals("0", PrometheusText.number(-0.0));
    }
}
