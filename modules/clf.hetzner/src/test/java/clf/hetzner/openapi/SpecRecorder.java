package clf.hetzner.openapi;

import static org.junit.jupiter.api.Assertions.fail;

import clf.hetzner.sim.SimExchange;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A simulator observer that validates every exchange against the OpenAPI file and keeps the
 * violations; tests call {@link #assertClean()} when done (observers must not throw, they run on
 * the simulator's threads).
 */
public final class SpecRecorder implements Consumer<SimExchange> {
    private final ExchangeValidator validator = ExchangeValidator.load();
    private final boolean requests;
    private final List<String> toleratedRequestViolations;
    private final List<String> violations = new ArrayList<>();
    private final List<String> tolerated = new ArrayList<>();
    private int exchanges;

    /** @param requests also validate requests (off for tests that send invalid requests on purpose) */
    public SpecRecorder(boolean requests) {
        this(requests, List.of());
    }

    /**
     * Validates requests too, except for these exact violations: what a client nobody on the
     * project wrote (Hetzner's own) sends beyond the file, and the real API accepts. Answers are
     * always validated in full.
     */
    public SpecRecorder(List<String> toleratedRequestViolations) {
        this(true, toleratedRequestViolations);
    }

    private SpecRecorder(boolean requests, List<String> toleratedRequestViolations) {
        this.requests = requests;
        this.toleratedRequestViolations = List.copyOf(toleratedRequestViolations);
    }

    @Override
    public void accept(SimExchange exchange) {
        List<String> found = new ArrayList<>();
        List<String> excused = new ArrayList<>();
        if (requests) {
            for (String violation : validator.request(exchange.method(), exchange.path(), exchange.rawQuery(),
                    exchange.requestBody())) {
                (toleratedRequestViolations.contains(violation) ? excused : found).add(violation);
            }
        }
        found.addAll(validator.response(exchange.method(), exchange.path(), exchange.status(), exchange.responseBody()));
        synchronized (this) {
            exchanges++;
            violations.addAll(found);
            tolerated.addAll(excused);
        }
    }

    public synchronized int exchanges() {
        return exchanges;
    }

    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    /** The request violations that were tolerated, as seen. */
    public synchronized List<String> tolerated() {
        return List.copyOf(tolerated);
    }

    public synchronized void assertClean() {
        if (!violations.isEmpty()) {
            fail(violations.size() + " OpenAPI violation(s) in " + exchanges + " exchange(s):\n  "
                    + String.join("\n  ", violations));
        }
    }
}
