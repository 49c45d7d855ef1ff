package clf.cli;

import clf.queue.InvalidInputException;
import clf.queue.JobStatus;
import clf.server.protocol.Ttl;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code clf jobs wait ID}: poll until the job is done, failed or canceled; exit 0 only for done. */
@Command(name = "wait", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Wait until a job ends; exit 0 if it is done, 4 if it ended otherwise or time ran out.")
final class WaitCommand implements Callable<Integer> {
    @Mixin
    private JobIdArgs job;

    @Option(names = "--timeout", paramLabel = "DUR", defaultValue = "10m",
            description = "Give up after DUR (like 90s, 10m, 1h; default ${DEFAULT-VALUE}).")
    private String timeout;

    @Option(names = "--interval", paramLabel = "DUR", defaultValue = "2s",
            description = "Ask again every DUR (default ${DEFAULT-VALUE}).")
    private String interval;

    @Mixin
    private ApiOptions api;

    @Override
    public Integer call() {
        Duration limit = duration("--timeout", timeout);
        Duration every = duration("--interval", interval);
        Output output = api.output();
        BotApi client = api.api();
        String jobId = job.resolved(client);
        Ticker ticker = api.context().ticker();
        long deadline = ticker.nanoTime() + limit.toNanos();
        while (true) {
            Map<String, Object> answer = client.show(jobId);
            Object status = JobViews.asMap(answer.get("job")).get("status");
            JobStatus current = JobStatus.parse("job.status", String.valueOf(status));
            if (current.isTerminal()) {
                return ended(output, jobId, answer, current);
            }
            long remaining = deadline - ticker.nanoTime();
            if (remaining <= 0) {
                throw Failure.notDone("wait_timeout", "job " + jobId + " is still " + current.wireName()
                        + " after " + Ttl.format(limit));
            }
            try {
                ticker.sleep(Duration.ofNanos(Math.min(every.toNanos(), remaining)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw Failure.notDone("interrupted", "interrupted while waiting for job " + jobId);
            }
        }
    }

    private static int ended(Output output, String jobId, Map<String, Object> answer, JobStatus status) {
        ShowCommand.print(output, answer);
        if (status == JobStatus.DONE) {
            return Main.OK;
        }
        Object lastError = JobViews.asMap(answer.get("job")).get("lastError");
        output.note("clf: job " + jobId + " ended " + status.wireName()
                + (lastError instanceof String text && !text.isEmpty() ? ": " + text : ""));
        return Main.NOT_DONE;
    }

    private static Duration duration(String flag, String value) {
        try {
            return Ttl.parse(flag, value);
        } catch (InvalidInputException e) {
            throw Failure.invalid(e.getMessage());
        }
    }
}
