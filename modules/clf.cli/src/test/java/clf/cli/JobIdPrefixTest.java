package clf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code clf jobs show|cancel|events|wait} with the 8 characters {@code clf jobs list} prints, like git. */
class JobIdPrefixTest {
    static final String ID = "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b";
    static final String TWIN = "3f2a9c1e-0000-4e8f-9a0b-1c2d3e4f5a6b";

    @TempDir
    Path dir;
    FakeDaemon daemon;

    @AfterEach
    void stop() throws Exception {
        daemon.close();
    }

    static String summary(String id, String status) {
        return "{\"jobId\":\"" + id + "\",\"kind\":\"cattle.spawn\",\"status\":\"" + status + "\",\"requester\":\"maren\","
                + "\"idempotencyKey\":\"\",\"createdAt\":\"2026-01-17T21:08:30.000Z\",\"updatedAt\":\"2026-01-17T21:08:30.000Z\","
                + "\"runAt\":\"2026-01-17T21:08:30.000Z\",\"attempt\":0,\"maxAttempts\":3,\"lastError\":\"\"}";
    }

    /** Answers an idPrefix lookup with {@code matches}, and anything else with a v1 cancel. */
    void serve(String... matches) throws Exception {
        daemon = new FakeDaemon(dir.resolve("orchestrator.sock"), request -> request.target().startsWith("/v1/jobs?")
                ? FakeDaemon.json(200, "{\"protocolVersion\":1,\"jobs\":[" + String.join(",", matches) + "],\"nextCursor\":null}")
                : FakeDaemon.json(200, "{\"protocolVersion\":1,\"ok\":true,\"jobId\":\"" + ID + "\",\"status\":\"canceled\"}"));
    }

    CliRun.Result run(String... args) {
        return CliRun.run(Map.of("CLF_SOCKET_PATH", dir.resolve("orchestrator.sock").toString()),
                new CliRun.FakeTicker(), args);
    }

    List<String> targets() {
        return daemon.requests().stream().map(FakeDaemon.Request::target).toList();
    }

    @Test
    void aUniquePrefixIsLookedUpThenUsedAsTheWholeId() throws Exception {
        serve(summary(ID, "queued"));

        CliRun.Result result = run("jobs", "cancel", "3F2A9C1E");

        assertEquals(Main.OK, result.exitCode(), result.toString());
        assertEquals(List.of("/v1/jobs?idPrefix=3f2a9c1e&limit=11&internal=1", "/v1/jobs/" + ID + "/cancel"), targets());
    }

    @Test
    void anAmbiguousPrefixListsTheCandidatesAndSendsNothingElse() throws Exception {
        serve(summary(TWIN, "done"), summary(ID, "queued"));

        CliRun.Result result = run("jobs", "cancel", "3f2a9c1e");

        assertEquals(Main.REFUSED, result.exitCode(), result.toString());
        assertEquals("""
                clf: job id prefix '3f2a9c1e' is ambiguous; it matches:
                  3f2a9c1e-0000-4e8f-9a0b-1c2d3e4f5a6b  cattle.spawn  done
                  3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b  cattle.spawn  queued
                """, result.err());
        assertEquals(1, targets().size(), "no cancel was sent: " + targets());
    }

    @Test
    void aPrefixNoJobOfYoursHasIsNotFound() throws Exception {
        serve();

        CliRun.Result result = run("jobs", "show", "0123abcd", "--json");

        assertEquals(Main.REFUSED, result.exitCode(), result.toString());
        assertEquals(true, result.out().contains("\"message\": \"no job of yours has an id starting with '0123abcd'\""),
                result.out());
        assertEquals(true, result.out().contains("\"code\": \"not_found\""), result.out());
    }

    @Test
    void fewerThanEightCharactersAreRefusedBeforeAsking() throws Exception {
        serve();

        CliRun.Result result = run("jobs", "wait", "3f2a9c1");

        assertEquals(Main.REFUSED, result.exitCode(), result.toString());
        assertEquals("clf: --job-id: a job id or at least its first 8 characters (as clf jobs list shows them),"
                + " got '3f2a9c1'\n", result.err());
        assertEquals(List.of(), targets());
    }
}
