package clf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.protocol.Health;
import clf.protocol.Histogram;
import clf.protocol.StatusReport;
import clf.protocol.WireStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code clf status} against a {@link FakeDaemon} answering with reports built for each case. */
class StatusCommandTest {
    static final Instant AT = Instant.parse("2026-11-27T15:12:30.000Z");

    @TempDir
    Path dir;
    FakeDaemon daemon;

    @AfterEach
    void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    static StatusReport report(boolean workersWell) {
        Map<String, Health.Check> checks = new LinkedHashMap<>();
        checks.put(Health.DATABASE, Health.Check.well("a query answered in 0.4 ms"));
        checks.put(Health.BOT_SOCKET, Health.Check.well("accepting connections at /run/clf/orchestrator.sock"));
        checks.put(Health.WORKERS, workersWell ? Health.Check.well("2 of 2 alive, 1 busy, 0 past their lease")
                : Health.Check.failing("2 of 2 alive, 1 busy, 1 past their lease"));
        Histogram waits = new Histogram(List.of(0.05, 0.5, 5.0), List.of(10L, 19L, 20L, 20L), 2.5);
        return new StatusReport("1.2.3", AT.minus(Duration.ofHours(3).plusMinutes(12)), AT, new Health(checks),
                new StatusReport.Jobs(List.of(new StatusReport.Count("cattle.spawn", WireStatus.QUEUED, 2),
                        new StatusReport.Count("cattle.spawn", WireStatus.RUNNING, 1),
                        new StatusReport.Count("cattle.spawn", WireStatus.DONE, 120),
                        new StatusReport.Count("clf.prune", WireStatus.FAILED, 2)), 1, AT.minusMillis(3200)),
                new StatusReport.Workers(2, 2, 1, workersWell ? 0 : 1, List.of("cattle.spawn", "clf.prune")),
                List.of(new StatusReport.Timing("cattle.spawn", null, waits),
                        new StatusReport.Timing("clf.prune", null, waits)),
                List.of(),
                new StatusReport.Cattle(3, 10, new StatusReport.Tokens(4, 2, 1, Map.of("invalid", 1L), 0),
                        new StatusReport.Hetzner(Map.of(200, 12L, 201, 3L, 404, 1L, 503, 1L), 1, 3600L, 3580L, null)),
                new StatusReport.Store("PostgreSQL", "postgresql://clf@db.example:5432/clf", 0.0004));
    }

    CliRun.Result status(StatusReport report, String... options) throws IOException {
        String body = Json.compact(report.toJson());
        daemon = new FakeDaemon(dir.resolve("orchestrator.sock"), request -> FakeDaemon.json(200, body));
        String[] args = new String[options.length + 1];
        args[0] = "status";
        System.arraycopy(options, 0, args, 1, options.length);
        return CliRun.run(Map.of("CLF_SOCKET_PATH", dir.resolve("orchestrator.sock").toString()),
                new CliRun.FakeTicker(), args);
    }

    @Test
    void showsTheChecksAndOneLinePerPart() throws IOException {
        CliRun.Result result = status(report(true));

        assertEquals(Main.OK, result.exitCode(), result.toString());
        assertEquals("GET", daemon.requests().get(0).method());
        assertEquals("/v1/status", daemon.requests().get(0).target());
        assertEquals("""
                health: ok
                  database   ok  a query answered in 0.4 ms
                  botSocket  ok  accepting connections at /run/clf/orchestrator.sock
                  workers    ok  2 of 2 alive, 1 busy, 0 past their lease
                daemon   clf-orchestrator 1.2.3, up 3h 12m (since 2026-11-27 12:00:30.000)
                store    PostgreSQL postgresql://clf@db.example:5432/clf, answered in 0.4 ms
                jobs     2 queued (1 runnable, the oldest waiting 3.2 s), 1 running, 120 done, 2 failed, 0 canceled
                workers  1 of 2 busy; runs cattle.spawn, clf.prune
                waits    40 claims, from runnable to claimed: p50 ≤ 50 ms, p99 ≤ 5 s
                cattle   3 of 10 servers
                tokens   4 issued, 2 redeemed, 1 revoked, 1 refused, 0 expired unused
                hetzner  18 requests: 15 ok, 1 client error, 0 rate-limited, 1 server error, 1 unanswered; rate limit 3580 of 3600/h left
                """, result.out());
        assertEquals("", result.err());
    }

    @Test
    void aFailingCheckIsShownAndExitsTwo() throws IOException {
        CliRun.Result result = status(report(false));

        assertEquals(Main.REFUSED, result.exitCode(), result.toString());
        assertTrue(result.out().startsWith("health: FAILING (workers)\n"), result.out());
        assertTrue(result.out().contains("  workers    FAIL  2 of 2 alive, 1 busy, 1 past their lease\n"), result.out());
        assertEquals("clf: the orchestrator is unhealthy: workers failed\n", result.err());
    }

    @Test
    void jsonPrintsTheAnswerAsIsWithTheSameExitCode() throws Exception {
        CliRun.Result well = status(report(true), "--json");
        assertEquals(Main.OK, well.exitCode(), well.toString());
        assertEquals(report(true), StatusReport.fromJson(Json.parse(well.out())));
        assertTrue(well.out().startsWith("{\n  \"protocolVersion\": 1,\n"), well.out());
        daemon.close();

        CliRun.Result unwell = status(report(false), "--json");
        assertEquals(Main.REFUSED, unwell.exitCode(), unwell.toString());
        assertEquals("", unwell.err(), "with --json, stdout carries the one document");
    }

    @Test
    void withoutCattleOrJobFiguresTheLinesSaySo() throws IOException {
        StatusReport full = report(true);
        StatusReport sparse = new StatusReport(full.version(), full.startedAt(), full.at(), full.health(), null,
                full.workers(), List.of(), List.of(), null);

        CliRun.Result result = status(sparse);

        assertTrue(result.out().contains("\njobs     unknown: the job store could not be read\n"), result.out());
        assertTrue(result.out().contains("\nwaits    no claims yet\n"), result.out());
        assertTrue(result.out().endsWith("\ncattle   disabled\n"), result.out());
    }

    @Test
    void aStoreThatDoesNotAnswerIsNamedAndItsCheckSaysWhy() throws IOException {
        StatusReport well = report(true);
        Map<String, Health.Check> checks = new LinkedHashMap<>(well.health().checks());
        checks.put(Health.DATABASE, Health.Check.failing("a query failed: the PostgreSQL server cannot be reached"));
        StatusReport down = new StatusReport(well.version(), well.startedAt(), well.at(), new Health(checks), null,
                well.workers(), List.of(), List.of(), null, new StatusReport.Store("PostgreSQL",
                        "postgresql://clf@db.example:5432/clf", null));

        CliRun.Result result = status(down);

        assertEquals(Main.REFUSED, result.exitCode(), result.toString());
        assertTrue(result.out().contains("  database   FAIL  a query failed: the PostgreSQL server cannot be reached\n"),
                result.out());
        assertTrue(result.out().contains("\nstore    PostgreSQL postgresql://clf@db.example:5432/clf, not answering\n"),
                result.out());
    }

    @Test
    void aReportThatDoesNotParseIsABadResponse() throws IOException {
        daemon = new FakeDaemon(dir.resolve("orchestrator.sock"),
                request -> FakeDaemon.json(200, "{\"protocolVersion\":1,\"version\":\"1\"}"));

        CliRun.Result result = CliRun.run(Map.of("CLF_SOCKET_PATH", dir.resolve("orchestrator.sock").toString()),
                new CliRun.FakeTicker(), "status", "--json");

        assertEquals(Main.REFUSED, result.exitCode(), result.toString());
        assertEquals("bad_response", ((Map<?, ?>) ((Map<?, ?>) Json.parse(result.out())).get("error")).get("code"));
        assertTrue(result.out().contains("status failed: bad response: workers: a JSON object, got nothing"),
                result.out());
    }

    @Test
    void durationsReadEasily() {
        assertEquals("850 ms", StatusView.duration(Duration.ofMillis(850)));
        assertEquals("3.2 s", StatusView.duration(Duration.ofMillis(3240)));
        assertEquals("4m 05s", StatusView.duration(Duration.ofSeconds(245)));
        assertEquals("3h 12m", StatusView.duration(Duration.ofMinutes(192)));
        assertEquals("2d 5h", StatusView.duration(Duration.ofHours(53)));
    }
}
