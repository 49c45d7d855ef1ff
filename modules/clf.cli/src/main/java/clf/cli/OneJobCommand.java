package clf.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The shape of {@code clf jobs show}, {@code events} and {@code cancel}: resolve one job id, make
 * one request about it, print the daemon's answer as it is with {@code --json} or as text for a
 * person. Each subclass only names its request and its text.
 */
abstract class OneJobCommand implements Callable<Integer> {
    private final CommandSpec spec;
    private final JobIdArgs job;
    private final ApiOptions api;

    OneJobCommand(String name, String header) {
        spec = CommandSpecs.command(this, name, header);
        job = new JobIdArgs(spec);
        api = new ApiOptions(spec);
        CommandSpecs.withStandardHelp(spec);
    }

    final CommandSpec spec() {
        return spec;
    }

    @Override
    public final Integer call() {
        Output output = api.output();
        BotApi client = api.api();
        String jobId = job.resolved(client);
        print(output, request(client, jobId), this::printText);
        return Main.OK;
    }

    /** The one request, e.g. {@link BotApi#show}. */
    abstract Map<String, Object> request(BotApi client, String jobId);

    /** The answer for a person (without {@code --json}). */
    abstract void printText(Output output, Map<String, Object> answer);

    /** The answer as JSON, or as {@code text} prints it. */
    static void print(Output output, Map<String, Object> answer, BiConsumer<Output, Map<String, Object>> text) {
        if (output.json()) {
            output.printJson(answer);
        } else {
            text.accept(output, answer);
        }
    }
}
