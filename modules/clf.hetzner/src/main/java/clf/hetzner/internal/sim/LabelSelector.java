package clf.hetzner.internal.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hetzner's label selector language (Kubernetes-style). Expressions are joined by commas, all
 * must hold: {@code k=v} and {@code k==v} (equal), {@code k!=v} (absent or different), {@code k}
 * (present), {@code !k} (absent), {@code k in (a,b)} and {@code k notin (a,b)} (absent or none of).
 */
public final class LabelSelector {
    private enum Op { EQUALS, NOT_EQUALS, EXISTS, NOT_EXISTS, IN, NOT_IN }

    private record Requirement(String key, Op op, Set<String> values) {
        boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (op) {
                case EQUALS -> values.iterator().next().equals(value);
                case NOT_EQUALS -> !values.iterator().next().equals(value);
                case EXISTS -> value != null;
                case NOT_EXISTS -> value == null;
                case IN -> value != null && values.contains(value);
                case NOT_IN -> value == null || !values.contains(value);
            };
        }
    }

    private final List<Requirement> requirements;

    private LabelSelector(List<Requirement> requirements) {
        this.requirements = requirements;
    }

    /** Parses a selector; blank selects everything. Throws {@link IllegalArgumentException} if invalid. */
    public static LabelSelector parse(String text) {
        return new Parser(text == null ? "" : text).parse();
    }

    public boolean matches(Map<String, String> labels) {
        return requirements.stream().allMatch(requirement -> requirement.matches(labels));
    }

    private static final class Parser {
        private final String text;
        private int at;

        Parser(String text) {
            this.text = text;
        }

        LabelSelector parse() {
            List<Requirement> result = new ArrayList<>();
            if (text.isBlank()) {
                return new LabelSelector(result);
            }
            while (true) {
                result.add(requirement());
                skipSpaces();
                if (at == text.length()) {
                    return new LabelSelector(result);
                }
                expect(',');
            }
        }

        private Requirement requirement() {
            skipSpaces();
            if (peek('!')) {
                at++;
                skipSpaces();
                return new Requirement(key(), Op.NOT_EXISTS, Set.of());
            }
            String key = key();
            int afterKey = at;
            skipSpaces();
            if (at == text.length() || peek(',')) {
                return new Requirement(key, Op.EXISTS, Set.of());
            }
            if (text.startsWith("==", at) || text.startsWith("!=", at)) {
                Op op = text.charAt(at) == '!' ? Op.NOT_EQUALS : Op.EQUALS;
                at += 2;
                return new Requirement(key, op, Set.of(value()));
            }
            if (peek('=')) {
                at++;
                return new Requirement(key, Op.EQUALS, Set.of(value()));
            }
            // "in" and "notin" must be separated from the key by whitespace.
            if (at > afterKey) {
                if (word("notin")) {
                    return new Requirement(key, Op.NOT_IN, set());
                }
                if (word("in")) {
                    return new Requirement(key, Op.IN, set());
                }
            }
            throw invalid("expected an operator after '" + key + "'");
        }

        private boolean word(String word) {
            if (!text.startsWith(word, at)) {
                return false;
            }
            int end = at + word.length();
            if (end < text.length() && !(Character.isWhitespace(text.charAt(end)) || text.charAt(end) == '(')) {
                return false;
            }
            at = end;
            return true;
        }

        private Set<String> set() {
            skipSpaces();
            expect('(');
            List<String> values = new ArrayList<>();
            while (true) {
                values.add(value());
                skipSpaces();
                if (peek(')')) {
                    at++;
                    return Set.copyOf(values);
                }
                expect(',');
            }
        }

        private String key() {
            int start = at;
            while (at < text.length() && isKeyChar(text.charAt(at))) {
                at++;
            }
            String key = text.substring(start, at);
            if (!SimChecks.isLabelKey(key)) {
                throw invalid("invalid label key '" + key + "'");
            }
            return key;
        }

        private String value() {
            skipSpaces();
            int start = at;
            while (at < text.length() && isValueChar(text.charAt(at))) {
                at++;
            }
            String value = text.substring(start, at);
            if (!SimChecks.isLabelValue(value)) {
                throw invalid("invalid label value '" + value + "'");
            }
            return value;
        }

        private static boolean isKeyChar(char c) {
            return isValueChar(c) || c == '/';
        }

        private static boolean isValueChar(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.';
        }

        private boolean peek(char c) {
            return at < text.length() && text.charAt(at) == c;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw invalid("expected '" + c + "' at position " + at);
            }
            at++;
        }

        private void skipSpaces() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }

        private IllegalArgumentException invalid(String message) {
            return new IllegalArgumentException("invalid label_selector: " + message);
        }
    }
}
