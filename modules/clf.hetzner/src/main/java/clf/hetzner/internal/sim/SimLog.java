package clf.hetzner.internal.sim;

import clf.hetzner.sim.SimExchange;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Requests answered so far: counts per route, and the most recent exchanges. Thread-safe. */
public final class SimLog {
    private static final int KEEP = 10_000;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Deque<SimExchange> recent = new ArrayDeque<>();

    void add(SimExchange exchange) {
        counts.computeIfAbsent(exchange.route() == null ? "unrouted" : exchange.route(), k -> new LongAdder()).increment();
        synchronized (recent) {
            recent.addLast(exchange);
            if (recent.size() > KEEP) {
                recent.removeFirst();
            }
        }
    }

    public long count(String route) {
        LongAdder adder = counts.get(route);
        return adder == null ? 0 : adder.sum();
    }

    public List<SimExchange> recent() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }
}
