package clf.server.internal.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.hetzner.sim.SimServer;
import clf.protocol.Protocol;
import clf.server.internal.status.SocketHttp;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A task's outcome through a real daemon (issue 13 §2): dev mode's simulated VMs fetch their env
 * over the real cattle listener and report their task with the credential it came with; the
 * spawn job's events and {@code task} show it, and the simulated Hetzner deletes the server within
 * a minute of the end with {@code CLF_CATTLE_DELETE_ON_FINISH} on, not with it off.
 */
class TaskOutcomeTest extends DevDaemonFixture {
    static final String SPAWN = """
            {"protocolVersion":1,"requester":"maren","kind":"cattle.spawn","idempotencyKey":"%s",
             "payload":{"identity":"rex","ttl":"1h","serverType":"cx23","image":"ubuntu-24.04",
             "task":{"schemaVersion":1,"taskId":"t-1","type":"clawdbot.gateway.agent","message":"hello"}}}""";
    static final Duration DEADLINE = Duration.ofMinutes(1);

    String spawn(String key) throws IOException {
        SocketHttp.Response answer = SocketHttp.post(socket, Protocol.ENQUEUE, SPAWN.formatted(key));
        assertEquals(200, answer.status(), answer.toString());
        return (String) answer.json().get("jobId");
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> job(String jobId) throws IOException {
        return (Map<String, Object>) SocketHttp.get(socket, Protocol.jobPath(jobId)).json().get("job");
    }

    @SuppressWarnings("unchecked")
    List<String> eventTypes(String jobId) throws IOException {
        return ((List<Map<String, Object>>) SocketHttp.get(socket, Protocol.jobPath(jobId) + "/events").json()
                .get("events")).stream().map(event -> (String) event.get("type")).toList();
    }

    List<SimServer> serversOf(String jobId) {
        return dev.simulator().servers().stream().filter(server -> jobId.equals(server.labels().get("clf-job-id")))
                .toList();
    }

    /** The job's task once it finished (within the deadline). */
    @SuppressWarnings("unchecked")
    Map<String, Object> awaitFinished(String jobId) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            Map<String, Object> task = (Map<String, Object>) job(jobId).get("task");
            if ("finished".equals(task.get("state"))) {
                return task;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("task of " + jobId + ": " + task + "\nevents: " + eventTypes(jobId) + "\nlog:\n" + logged);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void aFinishedTaskIsShownToTheBotAndItsServerIsDeletedWithinAMinute() throws Exception {
        start(Map.of("CLF_DEV_TASK_EXIT", "0"));
        String jobId = spawn("finish-0");
        assertEquals(Map.of("state", "not-started"), job(jobId).get("task"), "before the VM reports");

        Map<String, Object> task = awaitFinished(jobId);
        long finishedAt = System.nanoTime();
        assertEquals(0, task.get("exitCode"));
        assertEquals(0, task.get("durationMs"));
        assertEquals("dev mode: a simulated VM runs no task", task.get("summary"));

        while (!serversOf(jobId).isEmpty()) {
            assertTrue(System.nanoTime() - finishedAt < DEADLINE.toNanos(), "server left: " + serversOf(jobId));
            Thread.sleep(50);
        }
        assertEquals(1, dev.simulator().count("DELETE /servers/{id}"));
        List<String> types = eventTypes(jobId);
        assertTrue(types.containsAll(List.of("cattle.server-created", "cattle.env-fetched", "cattle.task-started",
                "cattle.task-finished", "cattle.delete-requested")), types.toString());
        assertTrue(types.indexOf("cattle.env-fetched") < types.indexOf("cattle.task-started")
                && types.indexOf("cattle.task-started") < types.indexOf("cattle.task-finished"), types.toString());
    }

    @Test
    void withDeleteOnFinishOffAReapLeavesTheFinishedTasksServerToItsTtl() throws Exception {
        start(Map.of("CLF_DEV_TASK_EXIT", "3", "CLF_CATTLE_DELETE_ON_FINISH", "0"));
        String jobId = spawn("finish-3");

        assertEquals(3, awaitFinished(jobId).get("exitCode"));
        SocketHttp.Response reap = SocketHttp.post(socket, Protocol.ENQUEUE,
                "{\"protocolVersion\":1,\"requester\":\"maren\",\"kind\":\"cattle.reap\",\"payload\":{\"dryRun\":false}}");
        assertEquals(200, reap.status(), reap.toString());
        String reapId = (String) reap.json().get("jobId");
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!"done".equals(job(reapId).get("status"))) {
            assertTrue(System.nanoTime() < deadline, "reap " + job(reapId));
            Thread.sleep(50);
        }

        assertEquals(1, serversOf(jobId).size(), "the reap did not count the finished task");
        assertEquals(0, dev.simulator().count("DELETE /servers/{id}"));
        assertTrue(!eventTypes(jobId).contains("cattle.delete-requested"), eventTypes(jobId).toString());
    }
}
