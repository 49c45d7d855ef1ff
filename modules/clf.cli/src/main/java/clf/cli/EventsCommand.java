package clf.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code clf jobs events ID}: a job's history (table: AT TYPE ATTEMPT MESSAGE). */
@Command(name = "events", mixinStandardHelpOptions = true,
        header = "Show a job's history: enqueue, claims, retries, the end (AT TYPE ATTEMPT MESSAGE).")
final class EventsCommand implements Callable<Integer> {
    @Mixin
    private JobIdArgs job;

    @Mixin
    private ApiOptions api;

    @Override
    public Integer call() {
        Output output = api.output();
        BotApi client = api.api();
        String jobId = job.resolved(client);
        Map<String, Object> answer = client.events(jobId);
        if (output.json()) {
            output.printJson(answer);
        } else {
            output.lines(JobViews.eventsTable(JobViews.asList(answer.get("events"), "events")));
        }
        return Main.OK;
    }
}
