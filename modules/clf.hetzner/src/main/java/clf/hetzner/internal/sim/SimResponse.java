package clf.hetzner.internal.sim;

import java.util.List;
import java.util.Map;

/**
 * An answer before it is written: status, JSON body ({@code null} for none), and the listener
 * notifications to run once the state change is complete.
 */
record SimResponse(int status, Map<String, Object> body, List<Runnable> events) {
    static SimResponse of(int status, Map<String, Object> body) {
        return new SimResponse(status, body, List.of());
    }

    static SimResponse error(SimError error) {
        return of(error.status(), SimRender.error(error.code(), error.getMessage(), error.details()));
    }
}
