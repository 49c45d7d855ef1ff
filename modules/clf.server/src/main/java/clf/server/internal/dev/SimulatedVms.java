package clf.server.internal.dev;

import clf.hetzner.sim.HetznerSimulator;
import clf.hetzner.sim.SimListener;
import clf.hetzner.sim.SimServer;
import clf.protocol.CattleEnvAnswer;
import clf.protocol.CattleFiles;
import clf.protocol.Protocol;
import clf.protocol.TaskReport;
import clf.server.internal.log.Log;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The VMs of dev mode: each waits until the simulator says its server runs, then does what
 * cloud-init and the cattle image would. With the runtime image's {@code bin/clf-cattle} at hand
 * ({@link #agentIn}), it writes the files of its user_data under a private root directory
 * ({@code STATE/vms/NAME/root}, the agent's test-only {@code --root}) and starts the real agent
 * as a child process, with an environment of PATH alone (the daemon's own never reaches a VM),
 * the sample task ({@code clf-cattle sample-task}: prints the message, exits N for "exit N") and
 * a power-off that the simulator carries out when the agent has ended. Its log is
 * {@code STATE/vms/NAME/agent.log}. Without the image (the unit tests run on a plain JDK) a VM
 * only trades its token for its env over the cattle listener, in process. It logs variable
 * names, never values.
 */
final class SimulatedVms implements SimListener, AutoCloseable {
    private final HetznerSimulator simulator;
    private final Log log;
    private final Integer taskExit;
    private final Path vmsDir;
    private final Path agent;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Set<Process> agents = ConcurrentHashMap.newKeySet();
    private final ExecutorService boots = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "clf-dev-vm");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param taskExit without the agent: the exit code each VM reports for an empty task after
     *                 fetching its env ({@code CLF_DEV_TASK_EXIT}); null: no reports. The agent
     *                 runs the sample task instead, whose message says its exit code.
     * @param vmsDir   where each VM gets its directory
     * @param agent    {@code bin/clf-cattle}, or null to redeem tokens in process
     */
    SimulatedVms(HetznerSimulator simulator, Integer taskExit, Log log, Path vmsDir, Path agent) {
        this.simulator = simulator;
        this.taskExit = taskExit;
        this.log = log;
        this.vmsDir = vmsDir;
        this.agent = agent;
    }

    /** The agent of the runtime image this JVM runs from, if it is one ({@code java.home} is the image's root). */
    static Path agentIn(Path javaHome) {
        Path launcher = javaHome.resolve("bin/clf-cattle");
        return Files.isExecutable(launcher) ? launcher : null;
    }

    boolean runsTheAgent() {
        return agent != null;
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
            if (agent != null) {
                runAgent(created);
            } else {
                fetchEnv(created);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            log.error("dev.vm-boot-failed", "server", created.name(), "error", e.toString());
        }
    }

    private void runAgent(SimServer server) throws IOException, InterruptedException {
        Path vm = vmsDir.resolve(server.name());
        Path root = vm.resolve("root");
        Files.createDirectories(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        for (Map.Entry<String, WrittenFile> file : filesOf(server.userData()).entrySet()) {
            Path target = root.resolve(file.getKey().substring(1));
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.getValue().content());
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(file.getValue().mode()));
        }
        Path poweroff = vm.resolve("poweroff-requested");
        ProcessBuilder builder = new ProcessBuilder(List.of(agent.toString(), "--root", root.toString(),
                "--task-command", quoted(agent.toString()) + " sample-task \"$1\"",
                "--poweroff-command", ": > " + quoted(poweroff.toString())))
                .redirectErrorStream(true).redirectOutput(vm.resolve("agent.log").toFile());
        String path = System.getenv("PATH");
        builder.environment().clear();
        builder.environment().put("PATH", path == null ? "/usr/bin:/bin" : path);
        Process process = builder.start();
        agents.add(process);
        log.info("dev.vm-agent-started", "server", server.name(), "pid", process.pid(), "log", vm.resolve("agent.log"));
        try {
            int exit = process.waitFor();
            log.info("dev.vm-agent-exited", "server", server.name(), "exit_code", exit);
            if (Files.exists(poweroff)) {
                simulator.powerOff(server.id());
            }
        } finally {
            agents.remove(process);
            if (process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroy);
                process.destroy();
            }
        }
    }

    private static String quoted(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /**
     * Without the agent: trade the token for the env, as the agent's first step would, then
     * (given a task exit code) report an empty task started and finished with the report
     * credential the env came with, as the agent does.
     */
    private void fetchEnv(SimServer created) throws IOException, InterruptedException {
        Map<String, Object> bootstrap = bootstrapOf(created.userData());
        URI base = URI.create(String.valueOf(bootstrap.get(CattleFiles.BOOTSTRAP_BASE_URL)));
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + Protocol.CATTLE_ENV)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + bootstrap.get(CattleFiles.BOOTSTRAP_TOKEN)).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        CattleEnvAnswer answer = response.statusCode() == 200
                ? CattleEnvAnswer.fromJson(JSON.std.anyFrom(response.body())) : null;
        log.info("dev.vm-fetched-env", "server", created.name(), "status", response.statusCode(),
                "variables", answer == null ? "" : String.join(",", answer.env().keySet()));
        if (answer != null && answer.report() != null && taskExit != null) {
            report(base, answer.report(), created.name(), TaskReport.started());
            report(base, answer.report(), created.name(), TaskReport.finished(taskExit, 0,
                    "dev mode: a simulated VM runs no task"));
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

    /** A file of cloud-init's write_files: its mode and content. */
    record WrittenFile(String mode, String content) {
    }

    /**
     * The write_files of a user_data document as {@code CloudInit} renders it: each entry's path
     * line, then its permissions and content (a double-quoted scalar whose escapes JSON reads too).
     * A task message that imitates an entry stays inside its own quoted content line.
     */
    static Map<String, WrittenFile> filesOf(String userData) throws IOException {
        Map<String, WrittenFile> files = new LinkedHashMap<>();
        String[] lines = userData.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].startsWith("  - path: ")) {
                continue;
            }
            String path = lines[i].substring("  - path: ".length());
            String mode = "0600";
            String content = null;
            for (int j = i + 1; j < lines.length && lines[j].startsWith("    "); j++) {
                String line = lines[j].strip();
                if (line.startsWith("permissions: ")) {
                    mode = (String) JSON.std.anyFrom(line.substring("permissions: ".length()));
                } else if (line.startsWith("content: ")) {
                    content = (String) JSON.std.anyFrom(line.substring("content: ".length()));
                }
            }
            if (content != null) {
                files.put(path, new WrittenFile(posix(mode), content));
            }
        }
        return files;
    }

    private static String posix(String octal) {
        StringBuilder rwx = new StringBuilder(9);
        for (char digit : octal.substring(octal.length() - 3).toCharArray()) {
            int bits = digit - '0';
            rwx.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-').append((bits & 1) != 0 ? 'x' : '-');
        }
        return rwx.toString();
    }

    /** The bootstrap.json that cloud-init would write, read back from the user_data. */
    static Map<String, Object> bootstrapOf(String userData) throws IOException {
        WrittenFile file = filesOf(userData).get(CattleFiles.BOOTSTRAP_PATH);
        if (file == null) {
            throw new IOException("user_data has no " + CattleFiles.BOOTSTRAP_PATH);
        }
        return JSON.std.mapFrom(file.content());
    }

    @Override
    public void close() {
        boots.shutdownNow();
        for (Process process : agents) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }
    }
}
