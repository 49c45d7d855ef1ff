package clf.cli;

import java.util.Map;

/** {@code clf jobs events ID}: a job's history (table: AT TYPE ATTEMPT MESSAGE). */
final class EventsCommand extends OneJobCommand {
    EventsCommand() {
        super("events", "Show a job's history: enqueue, claims, retries, the end (AT TYPE ATTEMPT MESSAGE).");
    }

    @Override
    Map<String, Object> request(BotApi client, String jobId) {
        return client.events(jobId);
    }

    @Override
    void printText(Output output, Map<String, Object> answer) {
        output.lines(JobViews.eventsTable(JobViews.asList(answer.get("events"), "events")));
    }
}
