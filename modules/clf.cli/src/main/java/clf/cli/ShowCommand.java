package clf.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code clf jobs show ID}: one job with its payload and result. */
@Command(name = "show", mixinStandardHelpOptions = true, header = "Show one job, with its payload and result.")
final class ShowCommand implements Callable<Integer> {
    @Mixin
    private JobIdArgs job;

    @Mixin
    private ApiOptions api;

    @Override
    public Integer call() {
        Output output = api.output();
        BotApi client = api.api();
        String jobId = job.resolved(client);
        Map<String, Object> answer = client.show(jobId);
        print(output, answer);
        return Main.OK;
    }

    /** The answer as JSON, or the job as aligned key/value lines (also used by {@code wait}). */
    static void print(Output output, Map<String, Object> answer) {
        if (output.json()) {
            output.printJson(answer);
        } else {
            output.lines(JobViews.showView(JobViews.asMap(answer.get("job"))));
        }
    }
}
