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
    private final ExchangeValidator validator = new ExchangeValidator(OpenApiSpec.load());
    private final boolean requests;
    private final List<String> violations = new ArrayList<>();
    private int exchanges;

    /** @param requests also validate requests (off for tests that send invalid requests on purpose) */
    public SpecRecorder(boolean requests) {
        this.requests = requests;
    }

    @Override
    public void accept(SimExchange exchange) {
        List<String> found = new ArrayList<>();
        if (requests) {
            found.addAll(validator.request(exchange.method(), exchange.path(), exchange.rawQuery(), exchange.requestBody()));
        }
        found.addAll(validator.response(exchange.method(), exchange.path(), exchange.status(), exchange.responseBody()));
        synchronized (this) {
            exchanges++;
            violations.addAll(found);
        }
    }

    public synchronized int exchanges() {
        return exchanges;
    }

    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    public synchronized void assertClean() {
        if (!violations.isEmpty()) {
            fail(violations.size() + " OpenAPI violation(s) in " + exchanges + " exchange(s):\n  "
                    + String.join("\n  ", violations));
        }
    }
}
