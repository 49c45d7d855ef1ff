package clf.hetzner.internal.sim;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /servers/{id}/actions/poweron|poweroff|shutdown}. The power state changes at once;
 * the action reports {@code running} for {@link #ACTION_TIME} and then {@code success}, long
 * enough for a client to see it run and short enough for one that waits.
 */
final class ServerPowerEndpoint {
    static final Duration ACTION_TIME = Duration.ofSeconds(1);

    private final SimState state;
    private final SimActions actions;

    ServerPowerEndpoint(SimState state, SimActions actions) {
        this.state = state;
        this.actions = actions;
    }

    SimResponse powerOn(long id) {
        return power(id, false, "start_server");
    }

    SimResponse powerOff(long id) {
        return power(id, true, "stop_server");
    }

    /** An ACPI shutdown: the guest powers off; Hetzner names the action {@code shutdown_server}. */
    SimResponse shutdown(long id) {
        return power(id, true, "shutdown_server");
    }

    private SimResponse power(long id, boolean off, String command) {
        state.setPoweredOff(id, off);
        Map<String, Object> action = actions.start(command, state.now().plus(ACTION_TIME),
                List.of(SimRender.resource(id, "server")));
        return SimResponse.of(201, Map.of("action", action));
    }
}
