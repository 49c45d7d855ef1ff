package clf.cattle.internal;

import clf.protocol.CattleEnvAnswer;
import clf.protocol.CattleFiles;
import clf.protocol.LogLines;
import clf.protocol.Task;
import clf.protocol.TaskReport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.random.RandomGenerator;

/**
 * One run of the agent on a VM, from cloud-init's files to power-off: read the files, fetch the
 * env ({@link EnvFetch}), store it ({@link EnvFile}) and delete the spent bootstrap file, run the
 * task ({@link TaskRun}) while {@code started} is reported, report {@code finished}
 * ({@link Reporter}), power off. Every end, a failed one too, powers off when auto-shutdown is on,
 * as the original's cattle-run did: the server is deleted later either way.
 */
public final class Agent {
    /** Exit codes of {@code clf-cattle}, one per way a run ends. */
    public static final int TASK_OK = 0;
    public static final int TASK_FAILED = 1;
    public static final int BAD_INPUT = 2;
    public static final int ENV_REFUSED = 3;
    public static final int ENV_GAVE_UP = 4;
    public static final int ENV_NOT_STORED = 5;
    /** How long the env fetch retries when the bootstrap file names no expiry: the longest a token lives. */
    static final Duration DEFAULT_ENV_DEADLINE = Duration.ofMinutes(15);

    private final AgentConfig config;
    private final Clock clock;
    private final LogLines log;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Backoff backoff;
    private final RandomGenerator random = RandomGenerator.getDefault();

    public Agent(AgentConfig config, Clock clock, Backoff backoff, LogLines log) {
        this.config = config;
        this.clock = clock;
        this.backoff = backoff;
        this.log = log;
    }

    public int run() throws InterruptedException {
        if (config.root() != null) {
            log.warn("agent.test-root", "root", config.root(), "note", "every path lies under this directory and the env"
                    + " file is not required to be on a tmpfs: for tests and dev mode only");
        }
        Path taskFile = config.path(CattleFiles.TASK_PATH);
        Path bootstrapFile = config.path(CattleFiles.BOOTSTRAP_PATH);
        boolean autoShutdown = config.autoShutdown();
        Task task;
        VmFiles.Bootstrap bootstrap;
        try {
            Boolean publicSwitch = VmFiles.autoShutdown(config.path(CattleFiles.PUBLIC_ENV_PATH));
            autoShutdown = publicSwitch == null ? autoShutdown : publicSwitch;
            task = VmFiles.task(taskFile);
            bootstrap = VmFiles.bootstrap(bootstrapFile);
        } catch (VmFiles.Unusable e) {
            log.error("agent.bad-input", "problem", e.getMessage());
            return end(BAD_INPUT, autoShutdown);
        }
        Instant deadline = bootstrap.expiresAt() != null ? bootstrap.expiresAt() : clock.instant().plus(DEFAULT_ENV_DEADLINE);
        log.info("agent.start", "task", task.taskId(), "listener", bootstrap.baseUrl(), "token_expires_at",
                bootstrap.expiresAt() == null ? "unknown (retrying until " + deadline + ")" : deadline);

        EnvFetch.Outcome outcome = new EnvFetch(http, clock, backoff, random, log).fetch(bootstrap, deadline);
        if (outcome instanceof EnvFetch.Refused refused) {
            log.error("agent.env-refused", "status", refused.status(), "message", refused.message(), "see", refused.readme(),
                    "action", "not retried: the token is spent, expired or not this machine's");
            return end(ENV_REFUSED, autoShutdown);
        }
        if (outcome instanceof EnvFetch.GaveUp gaveUp) {
            log.error("agent.env-gave-up", "attempts", gaveUp.attempts(), "last", gaveUp.lastProblem(), "deadline", deadline,
                    "see", EnvFetch.README_GAVE_UP);
            return end(ENV_GAVE_UP, autoShutdown);
        }
        CattleEnvAnswer answer = ((EnvFetch.Fetched) outcome).answer();
        Path envFile = config.path(config.envFile());
        try {
            EnvFile.write(envFile, answer.env(), config.root() == null);
        } catch (IOException e) {
            log.error("agent.env-not-stored", "file", envFile, "problem", e.getMessage());
            return end(ENV_NOT_STORED, autoShutdown);
        }
        deleteQuietly(bootstrapFile, "the spent bootstrap token");
        String answered = answer.env().get(CattleFiles.AUTO_SHUTDOWN);
        if (answered != null && (answered.equals("0") || answered.equals("1"))) {
            autoShutdown = answered.equals("1");
        }
        log.info("agent.env-fetched", "variables", String.join(",", answer.env().keySet().stream().sorted().toList()),
                "file", envFile, "server", answer.server() == null ? "unknown (older daemon)" : answer.server().name(),
                "report", answer.report() == null ? "none (older daemon): not reporting" : "yes");

        TaskRun.Result result = runTask(taskFile, bootstrap.baseUrl(), answer);
        if (autoShutdown) {
            deleteQuietly(envFile, "the env"); // the task is over; tmpfs goes with the power anyway
        }
        return end(result.exitCode() == 0 ? TASK_OK : TASK_FAILED, autoShutdown);
    }

    private TaskRun.Result runTask(Path taskFile, URI listener, CattleEnvAnswer answer) throws InterruptedException {
        Duration limit = null;
        if (answer.server() != null) {
            limit = Duration.between(clock.instant(), answer.server().expiresAt().minus(config.timeMargin()));
        }
        ExecutorService reports = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "clf-cattle-report");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Reporter reporter = answer.report() == null ? null : new Reporter(http, listener, answer.report(), clock,
                    backoff, random, log);
            // Sent while the task runs: a slow listener must not hold the task up. finished queues behind it.
            Future<?> started = reporter == null ? null : reports.submit(() -> send(reporter, TaskReport.started()));
            TaskRun.Result result;
            if (limit != null && (limit.isNegative() || limit.isZero())) {
                result = new TaskRun.Result(TaskReport.KILLED_AT_TIME_LIMIT, 0, "not started: the server expires at "
                        + answer.server().expiresAt() + ", within the margin of " + config.timeMargin().toSeconds() + " s");
                log.error("agent.no-time-left", "server_expires_at", answer.server().expiresAt(),
                        "margin_s", config.timeMargin().toSeconds());
            } else {
                log.info("agent.task-started", "command", config.taskCommand(), "time_limit_s",
                        limit == null ? "none (no server expiry known)" : Long.toString(limit.toSeconds()));
                try {
                    result = TaskRun.run(config.taskCommand(), taskFile, answer.env(), config.path(AgentConfig.TASK_LOG), limit);
                } catch (IOException e) {
                    log.error("agent.task-not-started", "problem", e.getMessage());
                    result = new TaskRun.Result(127, 0, "the task command could not be started: " + e.getMessage());
                }
            }
            log.info("agent.task-finished", "exit_code", result.exitCode(), "duration_ms", result.durationMs(),
                    "killed_at_time_limit", result.killed(), "log", config.path(AgentConfig.TASK_LOG));
            if (reporter != null) {
                TaskRun.Result finished = result;
                reports.submit(() -> send(reporter, TaskReport.finished(finished.exitCode(), finished.durationMs(),
                        finished.summary())));
                reports.shutdown();
                Duration wait = Duration.between(clock.instant(), answer.report().expiresAt()).plusSeconds(30);
                reports.awaitTermination(Math.max(0, wait.toMillis()), java.util.concurrent.TimeUnit.MILLISECONDS);
                if (started != null && !started.isDone()) {
                    log.warn("agent.report-unfinished", "note", "the credential expired before the reports went out");
                }
            }
            return result;
        } finally {
            reports.shutdownNow();
        }
    }

    private static void send(Reporter reporter, TaskReport report) {
        try {
            reporter.send(report);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int end(int code, boolean autoShutdown) throws InterruptedException {
        log.info("agent.end", "exit_code", code, "auto_shutdown", autoShutdown);
        if (autoShutdown) {
            log.info("agent.poweroff", "command", config.poweroffCommand());
            try {
                Process poweroff = new ProcessBuilder(List.of("/bin/sh", "-c", config.poweroffCommand()))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
                int status = poweroff.waitFor();
                if (status != 0) {
                    log.error("agent.poweroff-failed", "exit_code", status);
                }
            } catch (IOException e) {
                log.error("agent.poweroff-failed", "problem", e.getMessage());
            }
        }
        return code;
    }

    private void deleteQuietly(Path file, String what) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("agent.delete-failed", "file", file, "what", what, "problem", e.getMessage());
        }
    }
}
