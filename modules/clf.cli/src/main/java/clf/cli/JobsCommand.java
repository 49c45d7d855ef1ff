package clf.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code clf jobs …}: the bot API's job calls. */
@Command(
        name = "jobs",
        mixinStandardHelpOptions = true,
        header = "Enqueue, list, show, cancel and wait for orchestrator jobs.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:ok",
            "1:usage error",
            "2:the request was refused or failed",
            "3:the orchestrator cannot be reached",
            "4:jobs wait: the job ended other than done (with --task: the task exited non-zero), or the wait timed out"})
final class JobsCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        return Main.missingCommand(spec);
    }
}
