package clf.cattle;

import clf.cattle.internal.Agent;
import clf.cattle.internal.AgentConfig;
import clf.cattle.internal.Backoff;
import clf.cattle.internal.SampleTask;
import clf.protocol.LogLines;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** {@code clf-cattle}: the agent on a cattle VM (see {@link Agent}); {@code --help} lists its settings. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.exit(run(List.of(args), System.getenv(), System.out, System.err));
    }

    /** Runs the agent; returns its exit code (see {@link Agent}'s constants). */
    public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err)
            throws InterruptedException {
        if (args.contains("--help") || args.contains("-h")) {
            out.print(AgentConfig.usage());
            return 0;
        }
        if (args.contains("--version")) {
            java.lang.module.ModuleDescriptor module = Main.class.getModule().getDescriptor();
            out.println("clf-cattle " + (module == null ? "(unknown version)" : module.rawVersion().orElse("(unknown version)")));
            return 0;
        }
        if (!args.isEmpty() && args.get(0).equals("sample-task")) {
            if (args.size() != 2) {
                err.println("usage: clf-cattle sample-task TASK_FILE");
                return Agent.BAD_INPUT;
            }
            return SampleTask.run(Path.of(args.get(1)), out, err);
        }
        AgentConfig config;
        try {
            config = AgentConfig.parse(args, env);
        } catch (AgentConfig.Invalid e) {
            err.println("clf-cattle: " + e.getMessage());
            return Agent.BAD_INPUT;
        }
        return new Agent(config, Clock.systemUTC(), Backoff.DEFAULT, new LogLines(err, Clock.systemUTC())).run();
    }
}
