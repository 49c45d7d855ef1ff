package clf.hetzner.internal.sim;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every action the simulator started. An action is {@code running} until its end time and then
 * {@code success}, read from the clock on every look (like server status), so a fake clock drives
 * it. Answers to the request that starts an action always show it {@code running}, as Hetzner's do.
 * Synchronised.
 */
public final class SimActions {
    /** One action; {@code resources} are (id, type) pairs such as (42, "server"). */
    record Action(long id, String command, Instant started, Instant finishes, List<Map<String, Object>> resources) {
        boolean concerns(long resourceId, String type) {
            return resources.stream().anyMatch(r -> type.equals(r.get("type")) && Long.valueOf(resourceId).equals(r.get("id")));
        }
    }

    private final Clock clock;
    private final TreeMap<Long, Action> actions = new TreeMap<>();
    private long nextId = 9_000_001;

    public SimActions(Clock clock) {
        this.clock = clock;
    }

    /** Starts an action that ends at {@code finishes} (at once if that is not after now). */
    synchronized Map<String, Object> start(String command, Instant finishes, List<Map<String, Object>> resources) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Action action = new Action(nextId++, command, now, finishes.isAfter(now) ? finishes : now, List.copyOf(resources));
        actions.put(action.id(), action);
        return render(action, true);
    }

    synchronized Optional<Action> get(long id) {
        return Optional.ofNullable(actions.get(id));
    }

    synchronized List<Action> all() {
        return List.copyOf(actions.values());
    }

    /** The status now: {@code running} or {@code success}. */
    String status(Action action) {
        return clock.instant().isBefore(action.finishes()) ? "running" : "success";
    }

    Map<String, Object> render(Action action) {
        return render(action, false);
    }

    private Map<String, Object> render(Action action, boolean justStarted) {
        boolean done = !justStarted && "success".equals(status(action));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", action.id());
        json.put("command", action.command());
        json.put("status", done ? "success" : "running");
        json.put("progress", done ? 100 : 0);
        json.put("started", SimRender.time(action.started()));
        json.put("finished", done ? SimRender.time(action.finishes()) : null);
        json.put("resources", action.resources());
        json.put("error", null);
        return json;
    }
}
