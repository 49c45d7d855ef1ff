package clf.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code clf jobs cancel ID}: cancel a queued job, or ask a running one to stop. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        header = "Cancel a queued job, or ask a running job's worker to stop.")
final class CancelCommand implements Callable<Integer> {
    @Mixin
    private JobIdArgs job;

    @Mixin
    private ApiOptions api;

    @Override
    public Integer call() {
        Output output = api.output();
        BotApi client = api.api();
        String jobId = job.resolved(client);
        Map<String, Object> answer = client.cancel(jobId);
        if (output.json()) {
            output.printJson(answer);
        } else {
            output.line("ok");
            if ("running".equals(answer.get("status"))) {
                output.note("cancel requested; the job ends when its worker stops");
            }
        }
        return Main.OK;
    }
}
