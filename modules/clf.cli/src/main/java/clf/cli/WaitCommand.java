package clf.cli;

import clf.protocol.InvalidInputException;
import clf.protocol.Ttl;
import clf.protocol.WireStatus;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code clf jobs wait ID}: poll until the job is done, failed or canceled; exit 0 only for done.
 * With {@code --task}, until the task on a spawned server ends (issue 13 §2): exit 0 only when its
 * exit code was 0.
 */
final class WaitCommand implements Callable<Integer> {
    private final CommandSpec spec;
    private final JobIdArgs job;
    private final OptionSpec task = CommandSpecs.flag("--task",
            "For a cattle.spawn job: wait until the task on its server ends (its agent reports it)."
                    + " Exit 0 if the task's exit code was 0; 4 if it was not, the spawn ended other than done,"
                    + " or time ran out.");
    private final OptionSpec timeout = CommandSpecs.text("--timeout", "DUR",
            "Give up after DUR (like 90s, 10m, 1h; default ${DEFAULT-VALUE}).").defaultValue("10m").build();
    private final OptionSpec interval = CommandSpecs.text("--interval", "DUR",
            "Ask again every DUR (default ${DEFAULT-VALUE}).").defaultValue("2s").build();
    private final ApiOptions api;

    WaitCommand() {
        spec = CommandSpecs.command(this, "wait",
                "Wait until a job ends; exit 0 if it is done, 4 if it ended otherwise or time ran out.");
        spec.usageMessage().sortOptions(false);
        job = new JobIdArgs(spec);
        spec.addOption(task);
        spec.addOption(timeout);
        spec.addOption(interval);
        api = new ApiOptions(spec);
        CommandSpecs.withStandardHelp(spec);
    }

    CommandSpec spec() {
        return spec;
    }

    @Override
    public Integer call() {
        Duration limit = duration("--timeout", timeout.getValue());
        Duration every = duration("--interval", interval.getValue());
        boolean task = CommandSpecs.given(this.task);
        Output output = api.output();
        BotApi client = api.api();
        String jobId = job.resolved(client);
        Ticker ticker = api.context().ticker();
        long deadline = ticker.nanoTime() + limit.toNanos();
        while (true) {
            Map<String, Object> answer = client.show(jobId);
            Object status = JobViews.asMap(answer.get("job")).get("status");
            WireStatus current = WireStatus.parse("job.status", String.valueOf(status));
            if (task) {
                Integer exit = taskEnded(output, jobId, answer, current);
                if (exit != null) {
                    return exit;
                }
            } else if (current.isTerminal()) {
                return ended(output, jobId, answer, current);
            }
            long remaining = deadline - ticker.nanoTime();
            if (remaining <= 0) {
                throw Failure.notDone("wait_timeout", task
                        ? "the task of job " + jobId + " is still " + taskState(answer) + " after " + Ttl.format(limit)
                        : "job " + jobId + " is still " + current.wireName() + " after " + Ttl.format(limit));
            }
            try {
                ticker.sleep(Duration.ofNanos(Math.min(every.toNanos(), remaining)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw Failure.notDone("interrupted", "interrupted while waiting for job " + jobId);
            }
        }
    }

    private static int ended(Output output, String jobId, Map<String, Object> answer, WireStatus status) {
        ShowCommand.print(output, answer);
        if (status == WireStatus.DONE) {
            return Main.OK;
        }
        Object lastError = JobViews.asMap(answer.get("job")).get("lastError");
        output.note("clf: job " + jobId + " ended " + status.wireName()
                + (lastError instanceof String text && !text.isEmpty() ? ": " + text : ""));
        return Main.NOT_DONE;
    }

    /**
     * With {@code --task}: the exit code once the task has ended, or once it never can (the spawn
     * failed or was canceled); null while it may still end.
     */
    private static Integer taskEnded(Output output, String jobId, Map<String, Object> answer, WireStatus status) {
        Map<?, ?> shown = JobViews.asMap(answer.get("job"));
        if (!(shown.get("task") instanceof Map<?, ?> task)) {
            if (!"cattle.spawn".equals(shown.get("kind"))) {
                throw Failure.invalid("--task: job " + jobId + " is a " + shown.get("kind")
                        + " job; only a cattle.spawn job has a task");
            }
            throw Failure.unsupported("no_task", "the orchestrator does not report tasks (it is older than clf-cattle)");
        }
        if ("finished".equals(task.get("state"))) {
            ShowCommand.print(output, answer);
            if (task.get("exitCode") instanceof Number code && code.intValue() == 0) {
                return Main.OK;
            }
            output.note("clf: the task of job " + jobId + " ended with exit code " + task.get("exitCode"));
            return Main.NOT_DONE;
        }
        if (status.isTerminal() && status != WireStatus.DONE) {
            return ended(output, jobId, answer, status); // no server, so no task to wait for
        }
        return null;
    }

    private static String taskState(Map<String, Object> answer) {
        Object task = JobViews.asMap(answer.get("job")).get("task");
        return task instanceof Map<?, ?> map ? String.valueOf(map.get("state")) : "unknown";
    }

    private static Duration duration(String flag, String value) {
        try {
            return Ttl.parse(flag, value);
        } catch (InvalidInputException e) {
            throw Failure.invalid(e.getMessage());
        }
    }
}
