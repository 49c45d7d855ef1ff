package clf.cattle.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.protocol.TaskReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The task and its reports: the time limit from the server's expiry, the summary, and reports
 * retried through a 503. The listener here is {@link ReportStandIn} (the daemon's report route
 * is not on this branch yet).
 */
class AgentTaskTest {
    @TempDir
    Path dir;

    VmRoot vm(ReportStandIn listener) throws Exception {
        return new VmRoot(dir.resolve("vm")).task("hello").bootstrap(listener.baseUrl(), "boot-token",
                Instant.now().plusSeconds(60));
    }

    @Test
    void aTaskStillRunningAtTheServersExpiryLessTheMarginIsKilledAndReportedSo() throws Exception {
        // The server expires in 20 s; with a 15 s margin the task has at most 5 s.
        try (ReportStandIn listener = new ReportStandIn(Instant.now().plusSeconds(20), List.of())) {
            String pidFile = EnvFile.shellQuoted(dir.resolve("sleeper.pid").toString());
            VmRoot.Run run = vm(listener).run("echo working; sleep 120 & echo $! > " + pidFile + "; wait",
                    "--time-margin-seconds", "15");

            assertEquals(Agent.TASK_FAILED, run.exitCode(), run.log());
            Map<String, Object> finished = listener.reports.get(listener.reports.size() - 1);
            assertEquals(TaskReport.FINISHED, finished.get("event"), listener.reports.toString());
            assertEquals(TaskReport.KILLED_AT_TIME_LIMIT, ((Number) finished.get("exitCode")).intValue());
            long duration = ((Number) finished.get("durationMs")).longValue();
            assertEquals("working\n", finished.get("summary"), "it ran");
            assertTrue(duration > 0 && duration <= 5000 + TaskRun.KILL_GRACE.toMillis(),
                    "killed at its limit, long before its sleep ended: " + duration);
            assertTrue(run.log().contains("killed_at_time_limit=true"), run.log());
            long sleeper = Long.parseLong(Files.readString(dir.resolve("sleeper.pid")).strip());
            assertTrue(ProcessHandle.of(sleeper).map(p -> !p.isAlive()).orElse(true), "what the task started is gone too");
        }
    }

    @Test
    void reportsAreRetriedThroughA503AndCarryTheExitCodeAndTheOutputsTail() throws Exception {
        try (ReportStandIn listener = new ReportStandIn(Instant.now().plusSeconds(3600), List.of(503, 502))) {
            VmRoot.Run run = vm(listener).run("echo one; echo two >&2; exit 3");

            assertEquals(Agent.TASK_FAILED, run.exitCode(), run.log());
            assertEquals(List.of(503, 502, 200, 200), listener.answered, run.log());
            assertEquals(List.of(TaskReport.STARTED, TaskReport.STARTED, TaskReport.STARTED, TaskReport.FINISHED),
                    listener.reports.stream().map(r -> r.get("event")).toList(), "started again until taken, then finished");
            Map<String, Object> finished = listener.reports.get(3);
            assertEquals(3, ((Number) finished.get("exitCode")).intValue());
            assertEquals("one\ntwo\n", finished.get("summary"));
            assertTrue(run.log().contains("agent.report-retry event=started attempt=1 problem=\"503"), run.log());
            assertTrue(!run.log().contains(ReportStandIn.REPORT_TOKEN), "never the credential: " + run.log());
        }
    }

    @Test
    void aServerAlreadyWithinTheMarginRunsNoTaskAndSaysSo() throws Exception {
        try (ReportStandIn listener = new ReportStandIn(Instant.now().plusSeconds(30), List.of())) {
            VmRoot.Run run = vm(listener).run("echo ran > " + EnvFile.shellQuoted(dir.resolve("ran").toString()),
                    "--time-margin-seconds", "60");

            assertEquals(Agent.TASK_FAILED, run.exitCode(), run.log());
            assertTrue(!Files.exists(dir.resolve("ran")), run.log());
            Map<String, Object> finished = listener.reports.get(listener.reports.size() - 1);
            assertEquals(TaskReport.KILLED_AT_TIME_LIMIT, ((Number) finished.get("exitCode")).intValue());
            assertTrue(((String) finished.get("summary")).startsWith("not started: the server expires at"), finished.toString());
        }
    }
}
