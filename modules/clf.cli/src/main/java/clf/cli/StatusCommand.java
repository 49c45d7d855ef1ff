package clf.cli;

import clf.protocol.InvalidInputException;
import clf.protocol.StatusReport;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/** {@code clf status}: the orchestrator's health checks and key figures. */
final class StatusCommand implements Callable<Integer> {
    private final CommandSpec spec;
    private final ApiOptions api;

    StatusCommand() {
        spec = CommandSpecs.command(this, "status",
                "Show the orchestrator's health and key figures: jobs, workers, cattle, tokens, Hetzner.");
        spec.usageMessage().description(
                "Asks the orchestrator (GET /v1/status) for its health checks (database, bot socket, cattle listener,"
                        + " workers) and its figures: jobs by status, the runnable backlog and its oldest job, busy"
                        + " workers, claim waits, cattle servers against the limit, bootstrap tokens and the Hetzner"
                        + " API's answers and rate-limit budget. Counters run from the orchestrator's start.",
                "Exits 0 when every check passes and 2 when one fails; the report is printed either way.")
                .exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(UsageMessageSpec.keyValuesMap(
                        "0:the orchestrator is healthy",
                        "1:usage error",
                        "2:a health check failed, or the request was refused or failed",
                        "3:the orchestrator cannot be reached",
                        "5:the orchestrator has no /v1/status (an older version)"));
        api = new ApiOptions(spec);
        CommandSpecs.withStandardHelp(spec);
    }

    CommandSpec spec() {
        return spec;
    }

    @Override
    public Integer call() {
        Output output = api.output();
        Map<String, Object> answer = api.api().status();
        StatusReport report;
        try {
            report = StatusReport.fromJson(answer);
        } catch (InvalidInputException e) {
            throw Failure.refused("bad_response", "status failed: bad response: " + e.getMessage());
        }
        if (output.json()) {
            output.printJson(answer);
        } else {
            output.lines(StatusView.lines(report));
        }
        if (!report.health().ok()) {
            output.note("clf: the orchestrator is unhealthy: " + String.join(", ", report.health().failed())
                    + " failed");
            return Main.REFUSED;
        }
        return Main.OK;
    }
}
