package clf.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code clf shell}: the commands of clf, interactively. Only {@link Shell} touches JLine, and
 * only once this command runs, so other commands never load it.
 */
final class ShellCommand implements Callable<Integer> {
    private final CommandSpec spec;
    private final OptionSpec socket = CommandSpecs.text("--socket", "PATH",
            "Orchestrator socket for the whole session (default: $" + ApiOptions.SOCKET_ENV + ").").build();

    ShellCommand() {
        spec = CommandSpecs.command(this, "shell", "An interactive session: the jobs and status commands with"
                + " completion, history and a live view of a job.");
        spec.usageMessage().description(
                "Each line is a clf command without the leading clf (jobs list, jobs show ID, status ...), run with the"
                        + " same options, output and exit codes; an error is printed, its exit code shown in the"
                        + " prompt, and the session goes on.",
                "TAB completes commands, options, kinds, statuses and job ids (the newest "
                        + JobIdCache.FETCHED + ", asked of the orchestrator when first wanted and kept a few seconds).",
                "Besides the commands of clf: watch ID shows a job's status and events, asking again every second"
                        + " until the job ends (Ctrl-C stops watching); help [COMMAND] lists the commands or one"
                        + " command's options; exit or Ctrl-D leaves. Ctrl-C abandons the line being typed, or stops"
                        + " the command that runs.",
                "History is kept in $XDG_STATE_HOME/clf/history (default ~/.local/state/clf/history). Colour and"
                        + " in-place redrawing are used only on a terminal that supports them (not TERM=dumb, not"
                        + " with NO_COLOR set).");
        spec.addOption(socket);
        CommandSpecs.withStandardHelp(spec);
    }

    CommandSpec spec() {
        return spec;
    }

    @Override
    public Integer call() throws Exception {
        Context context = ((Main) spec.root().userObject()).context();
        Path socketPath = ApiOptions.socketPath(socket.getValue(), context);
        return Shell.run(context, socketPath, spec.commandLine().getErr());
    }
}
