package clf.cli;

import clf.protocol.InvalidInputException;
import clf.protocol.Protocol;
import clf.protocol.Ttl;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The options every command that talks to the orchestrator shares (a picocli mixin). */
final class ApiOptions {
    static final String SOCKET_ENV = "CLF_SOCKET_PATH";

    private final CommandSpec mixee;
    private final OptionSpec socket = CommandSpecs.text("--socket", "PATH",
            "Orchestrator socket (default: $" + SOCKET_ENV + ", else " + Protocol.DEFAULT_SOCKET_PATH + ").").build();
    private final OptionSpec json = CommandSpecs.flag("--json",
            "Print the orchestrator's answer, or the error, as JSON on stdout.");
    private final OptionSpec requestTimeout = CommandSpecs.text("--request-timeout", "DUR",
            "Give up on a request after DUR (like 10s or 1m; default ${DEFAULT-VALUE}).").defaultValue("10s").build();

    /** Adds the options to {@code mixee}, the command that has them. */
    ApiOptions(CommandSpec mixee) {
        this.mixee = mixee;
        CommandSpec mixin = CommandSpec.create();
        mixin.addOption(socket);
        mixin.addOption(json);
        mixin.addOption(requestTimeout);
        mixee.addMixin("api", mixin);
    }

    /** {@code --socket}, else {@code $CLF_SOCKET_PATH}, else the default; trimmed, blanks skipped. */
    Path socketPath() {
        return socketPath(socket.getValue(), context());
    }

    /** {@code option}, else {@code $CLF_SOCKET_PATH} of {@code context}, else the default (also for {@code clf shell}). */
    static Path socketPath(String option, Context context) {
        String path = option == null ? "" : option.strip();
        if (path.isEmpty()) {
            path = context.env().getOrDefault(SOCKET_ENV, "").strip();
        }
        return Path.of(path.isEmpty() ? Protocol.DEFAULT_SOCKET_PATH : path);
    }

    /** Whether {@code --socket} was given (list's "more:" hint repeats it). */
    String socketOption() {
        return socket.getValue();
    }

    Duration requestTimeout() {
        try {
            return Ttl.parse("--request-timeout", requestTimeout.getValue());
        } catch (InvalidInputException e) {
            throw Failure.invalid(e.getMessage());
        }
    }

    /** The API client; validates {@code --request-timeout} but connects only when a call is made. */
    BotApi api() {
        return new BotApi(new SocketClient(socketPath(), requestTimeout()));
    }

    Output output() {
        return new Output(mixee.commandLine().getOut(), mixee.commandLine().getErr(), CommandSpecs.given(json));
    }

    Context context() {
        return ((Main) mixee.root().userObject()).context();
    }
}
