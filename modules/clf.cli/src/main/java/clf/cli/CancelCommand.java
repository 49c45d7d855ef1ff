package clf.cli;

import java.util.Map;

/** {@code clf jobs cancel ID}: cancel a queued job, or ask a running one to stop. */
final class CancelCommand extends OneJobCommand {
    CancelCommand() {
        super("cancel", "Cancel a queued job, or ask a running job's worker to stop.");
    }

    @Override
    Map<String, Object> request(BotApi client, String jobId) {
        return client.cancel(jobId);
    }

    @Override
    void printText(Output output, Map<String, Object> answer) {
        output.line("ok");
        if ("running".equals(answer.get("status"))) {
            output.note("cancel requested; the job ends when its worker stops");
        }
    }
}
