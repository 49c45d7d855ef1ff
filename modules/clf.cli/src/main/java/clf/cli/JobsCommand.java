package clf.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/** {@code clf jobs …}: the bot API's job calls. */
final class JobsCommand implements Callable<Integer> {
    private final CommandSpec spec;

    JobsCommand() {
        spec = CommandSpecs.command(this, "jobs", "Enqueue, list, show, cancel and wait for orchestrator jobs.");
        spec.usageMessage()
                .exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(UsageMessageSpec.keyValuesMap(
                        "0:ok",
                        "1:usage error",
                        "2:the request was refused or failed",
                        "3:the orchestrator cannot be reached",
                        "4:jobs wait: the job ended other than done (with --task: the task exited non-zero), or the"
                                + " wait timed out"));
        CommandSpecs.withStandardHelp(spec);
    }

    CommandSpec spec() {
        return spec;
    }

    @Override
    public Integer call() {
        return Main.missingCommand(spec);
    }
}
