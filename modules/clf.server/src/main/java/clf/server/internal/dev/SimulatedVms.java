package clf.server.internal.dev;

import clf.hetzner.sim.HetznerSimulator;
import clf.hetzner.sim.SimListener;
import clf.hetzner.sim.SimServer;
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
 * cattle-run does on a real VM. It logs the variable names it got, never their values.
 */
final class SimulatedVms implements SimListener, AutoCloseable {
    private final HetznerSimulator simulator;
    private final Log log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService boots = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "clf-dev-vm");
        thread.setDaemon(true);
        return thread;
    });

    SimulatedVms(HetznerSimulator simulator, Log log) {
        this.simulator = simulator;
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
            Object env = response.statusCode() == 200 ? JSON.std.mapFrom(response.body()).get("env") : null;
            log.info("dev.vm-fetched-env", "server", created.name(), "status", response.statusCode(),
                    "variables", env instanceof Map<?, ?> vars ? String.join(",", vars.keySet().stream()
                            .map(String::valueOf).toList()) : "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            log.error("dev.vm-boot-failed", "server", created.name(), "error", e.toString());
        }
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
