package clf.cli;

import clf.protocol.ApiException;
import clf.protocol.InvalidInputException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one place that turns a failure into output and an exit code. Usage errors (picocli's parse
 * errors, a missing required option) exit {@link Main#USAGE}; everything a command throws is
 * mapped by {@link #failureOf}. Without {@code --json} the message goes to stderr as
 * {@code clf: <message>}; with it, stdout gets {@code {"ok":false,"error":{"message":…,"code":…}}}.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

    /** The exit code, machine code and message for anything a command may throw. */
    static Failure failureOf(Throwable thrown) {
        if (thrown instanceof Failure failure) {
            return failure;
        }
        if (thrown instanceof InvalidInputException invalid) {
            return Failure.invalid(invalid.getMessage());
        }
        if (thrown instanceof ApiException api) {
            return Failure.refused(api.code().wireName(), api.getMessage());
        }
        return Failure.refused("internal", "internal error: " + thrown);
    }

    /** {@code {"ok":false,"error":{"message":…,"code":…,"httpStatus":…}}}; code and status only when known. */
    static Map<String, Object> errorJson(String message, String code, int httpStatus) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        if (code != null) {
            error.put("code", code);
        }
        if (httpStatus > 0) {
            error.put("httpStatus", httpStatus);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("ok", false);
        json.put("error", error);
        return json;
    }

    @Override
    public int handleExecutionException(Exception thrown, CommandLine command, ParseResult parsed) {
        Failure failure = failureOf(thrown);
        if (jsonRequested(parsed)) {
            command.getOut().println(Json.pretty(errorJson(failure.getMessage(), failure.code(), failure.httpStatus())));
        } else {
            command.getErr().println("clf: " + ShownText.cleanLines(failure.getMessage())); // may quote bot text
        }
        return failure.exitCode();
    }

    @Override
    public int handleParseException(ParameterException thrown, String[] args) {
        CommandLine command = thrown.getCommandLine();
        if (Arrays.asList(args).contains("--json")) {
            command.getOut().println(Json.pretty(errorJson(thrown.getMessage(), "usage", 0)));
            return Main.USAGE;
        }
        PrintWriter err = command.getErr();
        err.println(thrown.getMessage());
        UnmatchedArgumentException.printSuggestions(thrown, err);
        CommandLine.Help help = command.getHelp();
        err.print(help.synopsisHeading() + help.synopsis(help.synopsisHeadingLength()));
        err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
        return Main.USAGE;
    }

    private static boolean jsonRequested(ParseResult parsed) {
        ParseResult leaf = parsed;
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
        }
        return leaf.hasMatchedOption("--json");
    }
}
