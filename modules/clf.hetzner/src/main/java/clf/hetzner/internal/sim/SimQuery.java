package clf.hetzner.internal.sim;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A request's query parameters, decoded; a parameter may repeat (the API's array parameters). */
final class SimQuery {
    private final Map<String, List<String>> values = new LinkedHashMap<>();

    SimQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String key = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            values.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw SimError.invalidInput("query", "malformed percent-encoding");
        }
    }

    /** The last value of the parameter, or {@code null}. */
    String first(String name) {
        List<String> list = values.get(name);
        return list == null || list.isEmpty() ? null : list.get(list.size() - 1);
    }

    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** A positive integer parameter, or the default when absent; anything else is invalid_input. */
    long positive(String name, long defaultValue) {
        String value = first(name);
        if (value == null || value.isEmpty()) {
            return defaultValue;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= 1) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw SimError.invalidInput(name, "must be a positive integer");
    }

    /** The label selector parameter, parsed; a malformed one is invalid_input. */
    LabelSelector selector() {
        try {
            return LabelSelector.parse(first("label_selector"));
        } catch (IllegalArgumentException e) {
            throw SimError.invalidInput("label_selector", e.getMessage());
        }
    }

    /** Every value of an enum-like filter, each checked against the values the API knows. */
    List<String> oneOf(String name, List<String> allowed) {
        List<String> given = all(name);
        for (String value : given) {
            if (!allowed.contains(value)) {
                throw SimError.invalidInput(name, "invalid value '" + value + "'; expected one of "
                        + String.join(", ", allowed));
            }
        }
        return given;
    }

    /** An optional boolean parameter ({@code true}/{@code false}); anything else is invalid_input. */
    boolean flag(String name) {
        String value = first(name);
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw SimError.invalidInput(name, "must be true or false");
    }
}
