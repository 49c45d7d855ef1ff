package clf.server.internal.dev;

import clf.hetzner.sim.HetznerSimulator;
import clf.hetzner.sim.SimListener;
import clf.hetzner.sim.SimServer;
import clf.protocol.CattleEnvAnswer;
import clf.protocol.TaskReport;
import clf.server.internal.cattle.spawn.CloudInit;
import clf.server.internal.log.Log;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The VMs of dev mode: each waits until the simulator says its server runs, reads the bootstrap
 * token from the user_data it was created with (as cloud-init would write it to
 * {@link CloudInit#BOOTSTRAP_PATH}) and trades it for its env over the cattle listener, as
 * cattle-run does on a real VM. It logs the variable names it got, never their values. Given a
 * task exit code, it then reports an empty task started and finished with it, with the report
 * credential the env came with, as the agent {@code clf-cattle} does (issue 13 §2).
 */
final class SimulatedVms implements SimListener, AutoCloseable {
    private final HetznerSimulator simulator;
    private final Integer taskExit;
    private final Log log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService boots = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "clf-dev-vm");
        thread.setDaemon(true);
        return thread;
    });

    /** @param taskExit the exit code to report for each VM's task; null: no reports */
    SimulatedVms(HetznerSimulator simulator, Integer taskExit, Log log) {
        this.simulator = simulator;
        this.taskExit = taskExit;
        this.log = log;
    }

    @Override
    public void serverCreated(SimServer server) {
        boots.execute(() -> boot(server));
    }

    private void boot(SimServer created) {
        try {
            while (true) {
                Optional<SimServer> now = simulator.server(created.id());
                if (now.isEmpty() || now.get().status().equals("deleting")) {
                    return;
                }
                if (now.get().status().equals("running")) {
                    break;
                }
                Thread.sleep(100);
            }
            Map<String, Object> bootstrap = bootstrapOf(created.userData());
            URI url = URI.create(bootstrap.get("baseUrl") + "/v1/cattle/env");
            HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(20))
                    .header("Authorization", "Bearer " + bootstrap.get("token")).GET().build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            CattleEnvAnswer answer = response.statusCode() == 200
                    ? CattleEnvAnswer.fromJson(JSON.std.anyFrom(response.body())) : null;
            log.info("dev.vm-fetched-env", "server", created.name(), "status", response.statusCode(),
                    "variables", answer == null ? "" : String.join(",", answer.env().keySet()));
            if (answer != null && answer.report() != null && taskExit != null) {
                URI base = URI.create(String.valueOf(bootstrap.get("baseUrl")));
                report(base, answer.report(), created.name(), TaskReport.started());
                report(base, answer.report(), created.name(), TaskReport.finished(taskExit, 0,
                        "dev mode: a simulated VM runs no task"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            log.error("dev.vm-boot-failed", "server", created.name(), "error", e.toString());
        }
    }

    private void report(URI base, CattleEnvAnswer.Report credential, String server, TaskReport report)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(credential.path())).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + credential.token()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.std.asString(report.toJson()))).build();
        int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        log.info("dev.vm-reported", "server", server, "event", report.event(), "status", status);
    }

    /** The bootstrap.json that cloud-init would write, read back from the user_data. */
    static Map<String, Object> bootstrapOf(String userData) throws IOException {
        String[] lines = userData.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].strip().equals("- path: " + CloudInit.BOOTSTRAP_PATH)) {
                for (int j = i + 1; j < lines.length && !lines[j].strip().startsWith("- "); j++) {
                    String line = lines[j].strip();
                    if (line.startsWith("content: ")) {
                        String content = (String) JSON.std.anyFrom(line.substring("content: ".length()));
                        return JSON.std.mapFrom(content);
                    }
                }
            }
        }
        throw new IOException("user_data has no " + CloudInit.BOOTSTRAP_PATH);
    }

    @Override
    public void close() {
        boots.shutdownNow();
    }
}
