package clf.cli;

import clf.protocol.JobKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The job ids {@code clf shell} completes: fetched from the orchestrator on the first TAB that
 * wants one and kept for a few seconds, so repeated TABs cost one request. An orchestrator that
 * cannot be asked gives no ids rather than an error in the middle of a line.
 */
final class JobIdCache implements Supplier<List<String>> {
    /** How many of the newest jobs are offered. */
    static final int FETCHED = 100;

    private final Supplier<List<String>> fetch;
    private final Ticker ticker;
    private final Duration fresh;
    private List<String> ids = List.of();
    private long fetchedAt;
    private boolean fetched;

    JobIdCache(Supplier<List<String>> fetch, Ticker ticker, Duration fresh) {
        this.fetch = fetch;
        this.ticker = ticker;
        this.fresh = fresh;
    }

    /** The ids of the newest jobs the caller may see, newest first. */
    static Supplier<List<String>> newest(BotApi api) {
        return () -> {
            List<String> ids = new ArrayList<>();
            for (Object job : JobViews.asList(api.list("?limit=" + FETCHED + "&" + JobKind.INTERNAL_QUERY_PARAMETER + "=1").get("jobs"), "jobs")) {
                if (job instanceof Map<?, ?> map && map.get("jobId") instanceof String id) {
                    ids.add(id);
                }
            }
            return ids;
        };
    }

    @Override
    public synchronized List<String> get() {
        long now = ticker.nanoTime();
        if (!fetched || now - fetchedAt >= fresh.toNanos()) {
            try {
                ids = List.copyOf(fetch.get());
            } catch (Failure e) {
                ids = List.of();
            }
            fetched = true;
            fetchedAt = now;
        }
        return ids;
    }
}
