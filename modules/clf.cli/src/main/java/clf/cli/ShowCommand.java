package clf.cli;

import java.util.Map;

/** {@code clf jobs show ID}: one job with its payload and result. */
final class ShowCommand extends OneJobCommand {
    ShowCommand() {
        super("show", "Show one job, with its payload and result.");
    }

    @Override
    Map<String, Object> request(BotApi client, String jobId) {
        return client.show(jobId);
    }

    @Override
    void printText(Output output, Map<String, Object> answer) {
        showText(output, answer);
    }

    /** The answer as JSON, or the job as aligned key/value lines (also used by {@code wait}). */
    static void print(Output output, Map<String, Object> answer) {
        OneJobCommand.print(output, answer, ShowCommand::showText);
    }

    private static void showText(Output output, Map<String, Object> answer) {
        output.lines(JobViews.showView(JobViews.asMap(answer.get("job"))));
    }
}
