package clf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What TAB offers in clf shell, read from the same command model that runs the lines. */
class ShellCompletionsTest {
    private static final List<String> IDS = List.of("3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b", "9d1c2b3a-0000-4e8f-9a0b-1c2d3e4f5a6b");

    private final AtomicInteger fetches = new AtomicInteger();
    private final ShellCompletions completions = new ShellCompletions(commandLine().getCommandSpec(), () -> {
        fetches.incrementAndGet();
        return IDS;
    });

    private static CommandLine commandLine() {
        StringWriter sink = new StringWriter();
        return Main.commandLine(new Context(Map.of(), new CliRun.FakeTicker()), new PrintWriter(sink), new PrintWriter(sink));
    }

    /** The values offered for the last word of {@code line} (a trailing space starts a new word). */
    private List<String> offered(String line) {
        List<String> words = new ArrayList<>(Arrays.asList(line.split(" ", -1)));
        List<String> values = new ArrayList<>();
        completions.complete(words, words.size() - 1).forEach(s -> values.add(s.value()));
        return values;
    }

    @Test
    void offersCommandsAtTheTop() {
        assertEquals(List.of("jobs", "status", "shell"), offered(""));
        assertEquals(List.of("--socket", "--json", "--request-timeout", "--help", "--version"), offered("status -"));
        assertEquals(List.of("enqueue", "list", "show", "cancel", "events", "wait"), offered("jobs "));
    }

    @Test
    void acceptsALeadingClf() {
        assertEquals(List.of("enqueue", "list", "show", "cancel", "events", "wait"), offered("clf jobs "));
    }

    @Test
    void offersKindsForEnqueue() {
        assertEquals(List.of("cattle.spawn", "cattle.reap"), offered("jobs enqueue "));
        assertEquals(List.of("cattle.spawn", "cattle.reap"), offered("jobs enqueue --kind "));
        assertEquals(List.of(), offered("jobs enqueue cattle.reap "), "one KIND only");
    }

    @Test
    void offersStatusesAsACommaList() {
        assertEquals(List.of("queued", "running", "done", "failed", "canceled"), offered("jobs list --status "));
        assertEquals(List.of("--status=queued", "--status=running", "--status=done", "--status=failed",
                "--status=canceled"), offered("jobs list --status="));
        assertTrue(offered("jobs list --status done,").contains("done,failed"), offered("jobs list --status done,").toString());
    }

    @Test
    void offersOptionNamesForADash() {
        List<String> options = offered("jobs list --");
        assertTrue(options.containsAll(List.of("--status", "--kind", "--limit", "--json", "--socket")), options.toString());
        assertTrue(offered("jobs enqueue --").containsAll(List.of("--auto-shutdown", "--no-auto-shutdown")));
    }

    @Test
    void asksForJobIdsOnlyWhereAJobIdGoes() {
        assertEquals(List.of(), offered("jobs list --limit "));
        assertEquals(0, fetches.get(), "no job id wanted yet");
        assertEquals(IDS, offered("jobs show "));
        assertEquals(IDS, offered("jobs wait --timeout 1m --job-id "));
        assertEquals(2, fetches.get());
    }

    @Test
    void skipsTheValueOfAnOptionWhenCountingArguments() {
        assertEquals(IDS, offered("jobs events --socket /run/x.sock "));
    }

    @Test
    void jobIdsAreFetchedOnceWhileFresh() {
        CliRun.FakeTicker ticker = new CliRun.FakeTicker();
        AtomicInteger calls = new AtomicInteger();
        JobIdCache cache = new JobIdCache(() -> List.of("job-" + calls.incrementAndGet()), ticker, Duration.ofSeconds(5));
        assertEquals(List.of("job-1"), cache.get());
        ticker.sleep(Duration.ofSeconds(4));
        assertEquals(List.of("job-1"), cache.get());
        ticker.sleep(Duration.ofSeconds(1));
        assertEquals(List.of("job-2"), cache.get());
    }

    @Test
    void anUnreachableOrchestratorOffersNoIds() {
        JobIdCache cache = new JobIdCache(() -> {
            throw Failure.unreachable("no_socket", "no orchestrator socket");
        }, new CliRun.FakeTicker(), Duration.ofSeconds(5));
        assertEquals(List.of(), cache.get());
    }

    @Test
    void watchOnADumbTerminalPrintsOnlyWhatChanged() {
        WatchView view = new WatchView();
        Map<String, Object> queued = Map.of("jobId", "j1", "kind", "cattle.reap", "status", "queued", "attempt", 0,
                "maxAttempts", 1, "updatedAt", "2026-01-17T21:08:30.000Z");
        List<Map<String, Object>> events = List.of(Map.of("at", "2026-01-17T21:08:30.000Z", "type", "enqueue", "attempt", 0));
        assertEquals(List.of("job j1  cattle.reap  queued  attempt 0/1  updated 2026-01-17 21:08:30.000",
                "2026-01-17 21:08:30.000  enqueue  0"), view.changes(queued, events));
        assertEquals(List.of(), view.changes(queued, events));
    }
}
