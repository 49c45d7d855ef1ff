package clf.cli;

import clf.protocol.InvalidInputException;
import clf.protocol.Ttl;
import clf.protocol.WireStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code watch ID}, a command of {@code clf shell} only: shows a job and its events, asking again
 * every interval until the job ends; Ctrl-C (an interrupt) stops watching. Exit codes as
 * {@code jobs wait}: 0 when the job is done, 4 when it ended otherwise.
 */
final class WatchCommand implements Callable<Integer> {
    /** Where the view goes: redrawn in place, or appended line by line on a dumb terminal. */
    interface Screen {
        boolean redraws();

        /** Replaces the view ({@link #redraws()}), the status line first; or appends lines. */
        void show(List<String> lines, String status);

        /** The view is final: leave it on screen and move below it. */
        void done();
    }

    private final CommandSpec spec;
    private final JobIdArgs job;
    private final OptionSpec interval = CommandSpecs.text("--interval", "DUR",
            "Ask again every DUR (default ${DEFAULT-VALUE}).").defaultValue("1s").build();
    private final Screen screen;
    private final BotApi api;
    private final Ticker ticker;

    WatchCommand(Screen screen, BotApi api, Ticker ticker) {
        this.screen = screen;
        this.api = api;
        this.ticker = ticker;
        spec = CommandSpecs.command(this, "watch",
                "Show a job's status and events live until it ends (Ctrl-C stops watching).");
        job = new JobIdArgs(spec);
        spec.addOption(interval);
        CommandSpecs.withStandardHelp(spec);
    }

    CommandSpec spec() {
        return spec;
    }

    @Override
    public Integer call() {
        String jobId = job.resolved(api);
        Duration every;
        try {
            every = Ttl.parse("--interval", interval.getValue());
        } catch (InvalidInputException e) {
            throw Failure.invalid(e.getMessage());
        }
        WatchView view = new WatchView();
        try {
            while (true) {
                Map<?, ?> current = JobViews.asMap(api.show(jobId).get("job"));
                List<?> events = JobViews.asList(api.events(jobId).get("events"), "events");
                String status = String.valueOf(current.get("status"));
                screen.show(screen.redraws() ? WatchView.screen(current, events) : view.changes(current, events), status);
                WireStatus parsed = WireStatus.parse("job.status", status);
                if (parsed.isTerminal()) {
                    return parsed == WireStatus.DONE ? Main.OK : Main.NOT_DONE;
                }
                ticker.sleep(every);
            }
        } catch (InterruptedException e) {
            return Main.OK; // Ctrl-C: the normal way to stop watching a job that runs on
        } finally {
            screen.done();
        }
    }
}
