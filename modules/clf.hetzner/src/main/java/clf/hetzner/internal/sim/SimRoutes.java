package clf.hetzner.internal.sim;

import clf.hetzner.internal.Json;
import clf.hetzner.internal.JsonShapeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The simulator's route table: method and path template (named as in the OpenAPI file, e.g.
 * {@code GET /servers/{id}}) to handler. A placeholder matches one path segment other than
 * {@code actions}, so that the API's {@code /servers/actions} is not taken for a server id.
 */
final class SimRoutes {
    /** What a handler gets: the path's ids in order, the query, and the raw body. */
    record Call(List<Long> ids, SimQuery query, String body) {
        long id(int index) {
            return ids.get(index);
        }

        /** The body as a JSON object, or json_error. */
        Map<String, Object> json() {
            try {
                return Json.parseObject(body);
            } catch (JsonShapeException e) {
                throw SimError.jsonError("request body must be a JSON object");
            }
        }
    }

    interface Handler {
        SimResponse handle(Call call);
    }

    record Route(String method, String template, Handler handler) {
        String name() {
            return method + " " + template;
        }
    }

    /** A request's route with the raw path segments that filled its placeholders. */
    record Match(Route route, List<String> placeholders) {
    }

    private final List<Route> routes = new ArrayList<>();

    SimRoutes add(String method, String template, Handler handler) {
        routes.add(new Route(method, template, handler));
        return this;
    }

    Optional<Match> match(String method, String path) {
        String[] actual = segments(path);
        for (Route route : routes) {
            if (!route.method().equals(method)) {
                continue;
            }
            String[] template = segments(route.template());
            if (template.length != actual.length) {
                continue;
            }
            List<String> placeholders = new ArrayList<>();
            boolean matches = true;
            for (int i = 0; i < template.length && matches; i++) {
                if (template[i].startsWith("{")) {
                    matches = !actual[i].isEmpty() && !actual[i].equals("actions");
                    placeholders.add(actual[i]);
                } else {
                    matches = template[i].equals(actual[i]);
                }
            }
            if (matches) {
                return Optional.of(new Match(route, placeholders));
            }
        }
        return Optional.empty();
    }

    private static String[] segments(String path) {
        return path.startsWith("/") ? path.substring(1).split("/", -1) : new String[] {path};
    }
}
