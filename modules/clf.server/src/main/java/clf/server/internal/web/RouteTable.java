package clf.server.internal.web;

import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One listener's routes, method + path template → handler, listed where the listener is built.
 * A template is {@code /}-separated segments, each literal or a {@code {name}} that matches one
 * non-empty segment (so {@code /v1/jobs/} and {@code /v1/jobs//cancel} match nothing). When
 * several templates fit a path, the one with a literal at the first place they differ wins
 * ({@code /v1/jobs/enqueue} over {@code /v1/jobs/{jobId}}), and that template's methods are the
 * ones a request with another method is told to use ({@link WrongMethod#allow()}, the 405's
 * {@code Allow} header). Undertow's {@code RoutingHandler} keeps one matcher per method, so a
 * {@code GET /v1/jobs/enqueue} would reach the {@code {jobId}} route instead of a 405, and it
 * has no hook for the bot API's own 404/405 bodies; hence this small table.
 *
 * @param <H> what a route leads to
 */
public final class RouteTable<H> {
    /** One row: a method, a path template, its handler, and the template's segments (split once). */
    public record Route<H>(HttpString method, String template, H handler, List<String> segments) {
        Route(HttpString method, String template, H handler) {
            this(method, template, handler, List.of(template.substring(1).split("/", -1)));
        }
    }

    /** What a request's method and path lead to. */
    public sealed interface Match<H> permits Found, WrongMethod, NotFound {
    }

    /** A route, with the values of its template's {@code {name}} segments. */
    public record Found<H>(H handler, Map<String, String> parameters) implements Match<H> {
    }

    /** The path is known, its methods are {@code allow} (comma-separated, as in an {@code Allow} header). */
    public record WrongMethod<H>(String allow) implements Match<H> {
    }

    /** No template fits the path. */
    public record NotFound<H>() implements Match<H> {
    }

    private final List<Route<H>> routes;

    private RouteTable(List<Route<H>> routes) {
        this.routes = List.copyOf(routes);
    }

    public static <H> Builder<H> builder() {
        return new Builder<>();
    }

    /** The rows in the order they were added. */
    public List<Route<H>> routes() {
        return routes;
    }

    /** Where {@code method} on this (already decoded) path leads; a path not starting with {@code /} fits nothing. */
    public Match<H> match(HttpString method, String path) {
        return path.startsWith("/") ? match(method, List.of(path.substring(1).split("/", -1))) : new NotFound<>();
    }

    /** Where {@code method} on a path of these (already decoded) segments leads. */
    public Match<H> match(HttpString method, List<String> segments) {
        Route<H> best = null;
        for (Route<H> route : routes) {
            if (fits(route.segments(), segments) && (best == null || moreLiteral(route.segments(), best.segments()))) {
                best = route;
            }
        }
        if (best == null) {
            return new NotFound<>();
        }
        List<HttpString> methods = new ArrayList<>();
        for (Route<H> route : routes) {
            if (route.template().equals(best.template())) {
                if (route.method().equals(method)) {
                    return new Found<>(route.handler(), parameters(route.segments(), segments));
                }
                methods.add(route.method());
            }
        }
        return new WrongMethod<>(methods.stream().map(HttpString::toString).collect(Collectors.joining(", ")));
    }

    private static boolean fits(List<String> template, List<String> segments) {
        if (template.size() != segments.size()) {
            return false;
        }
        for (int i = 0; i < template.size(); i++) {
            String expected = template.get(i);
            if (isParameter(expected) ? segments.get(i).isEmpty() : !expected.equals(segments.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether template {@code a} has a literal at the first segment where it and {@code b} differ in kind. */
    private static boolean moreLiteral(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            if (isParameter(a.get(i)) != isParameter(b.get(i))) {
                return !isParameter(a.get(i));
            }
        }
        return false;
    }

    private static Map<String, String> parameters(List<String> template, List<String> segments) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < template.size(); i++) {
            if (isParameter(template.get(i))) {
                String name = template.get(i);
                values.put(name.substring(1, name.length() - 1), segments.get(i));
            }
        }
        return Map.copyOf(values);
    }

    private static boolean isParameter(String segment) {
        return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
    }

    /** Adds rows; {@link #build} refuses a method and template given twice. */
    public static final class Builder<H> {
        private final List<Route<H>> routes = new ArrayList<>();

        private Builder() {
        }

        public Builder<H> get(String template, H handler) {
            return add(Methods.GET, template, handler);
        }

        public Builder<H> post(String template, H handler) {
            return add(Methods.POST, template, handler);
        }

        public Builder<H> add(HttpString method, String template, H handler) {
            if (!template.startsWith("/")) {
                throw new IllegalArgumentException("template: an absolute path, got '" + template + "'");
            }
            for (Route<H> route : routes) {
                if (route.method().equals(method) && route.template().equals(template)) {
                    throw new IllegalArgumentException("route " + method + " " + template + " given twice");
                }
            }
            routes.add(new Route<>(method, template, handler));
            return this;
        }

        public RouteTable<H> build() {
            return new RouteTable<>(routes);
        }
    }
}
