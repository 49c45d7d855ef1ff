package clf.hetzner.internal.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reading actions: {@code GET /actions?id=…}, {@code GET /actions/{id}},
 * {@code GET /servers/{id}/actions} and {@code GET /servers/{id}/actions/{action_id}}. A
 * server's list filters by {@code status}, sorts by the fields the OpenAPI file lists and pages;
 * {@code GET /actions} only returns the actions it is asked for by id, without paging (its
 * response schema has no {@code meta}).
 */
final class ActionsEndpoint {
    private static final List<String> STATUSES = List.of("running", "success", "error");

    private final SimActions actions;
    private final SimState state;
    private final Faults faults;
    private final Map<String, Comparator<SimActions.Action>> sort = new LinkedHashMap<>();

    ActionsEndpoint(SimActions actions, SimState state, Faults faults) {
        this.actions = actions;
        this.state = state;
        this.faults = faults;
        sort.put("id", Comparator.comparingLong(SimActions.Action::id));
        sort.put("command", Comparator.comparing(SimActions.Action::command));
        sort.put("status", Comparator.comparing(actions::status));
        sort.put("started", Comparator.comparing(SimActions.Action::started));
        sort.put("finished", Comparator.comparing(SimActions.Action::finishes));
    }

    SimResponse list(SimQuery query) {
        List<Long> ids = new ArrayList<>();
        for (String id : query.all("id")) {
            try {
                ids.add(Long.parseLong(id));
            } catch (NumberFormatException e) {
                throw SimError.invalidInput("id", "must be an integer: '" + id + "'");
            }
        }
        if (ids.isEmpty()) {
            // Listing every action was removed on 2025-01-30 (the OpenAPI file's description of
            // GET /actions); hcloud-go knows the answer as deprecated_api_endpoint with an
            // announcement link (hcloud/error.go, ErrorDetailsDeprecatedAPIEndpoint).
            throw new SimError(410, "deprecated_api_endpoint", "listing actions without id is no longer supported",
                    Map.of("announcement", "https://docs.hetzner.cloud/changelog#2025-01-30-listing-arbitrary-actions-in-the-actions-list-endpoint-is-removed"));
        }
        return SimResponse.of(200, Map.of("actions", actions.all().stream()
                .filter(action -> ids.contains(action.id()))
                .map(actions::render)
                .toList()));
    }

    SimResponse get(long id) {
        SimActions.Action action = actions.get(id).orElseThrow(() -> SimError.notFound("action with ID " + id + " not found"));
        return SimResponse.of(200, Map.of("action", actions.render(action)));
    }

    SimResponse listForServer(long serverId, SimQuery query) {
        requireServer(serverId);
        return page(query, actions.all().stream().filter(action -> action.concerns(serverId, "server")).toList());
    }

    SimResponse getForServer(long serverId, long actionId) {
        requireServer(serverId);
        SimActions.Action action = actions.get(actionId)
                .filter(found -> found.concerns(serverId, "server"))
                .orElseThrow(() -> SimError.notFound("action with ID " + actionId + " not found"));
        return SimResponse.of(200, Map.of("action", actions.render(action)));
    }

    private void requireServer(long serverId) {
        if (state.server(serverId).isEmpty()) {
            throw SimError.notFound("server with ID " + serverId + " not found");
        }
    }

    private SimResponse page(SimQuery query, List<SimActions.Action> found) {
        List<String> statuses = query.oneOf("status", STATUSES);
        List<SimActions.Action> matching = found.stream()
                .filter(action -> statuses.isEmpty() || statuses.contains(actions.status(action)))
                .toList();
        return SimResponse.of(200, Paging.page(query, "actions", Sorting.sort(query, matching, sort), actions::render,
                faults.stuckPagination()));
    }
}
