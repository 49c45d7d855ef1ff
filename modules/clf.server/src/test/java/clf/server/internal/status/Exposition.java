package clf.server.internal.status;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4, written from the format's
 * description (prometheus.io, "Exposition formats") for tests: anything the format forbids, and
 * the conventions clf keeps, fail with the offending line. It checks that
 * <ul>
 *   <li>the text is lines ending in {@code \n}, each a HELP, TYPE, other comment or sample;</li>
 *   <li>names and label names are valid, label values use only the three escapes;</li>
 *   <li>every sample follows the TYPE line of its family, families are not interleaved, and at
 *       most one HELP and one TYPE exist per family;</li>
 *   <li>no two samples share a name and label set;</li>
 *   <li>histograms have cumulative buckets in increasing {@code le}, ending in {@code +Inf} equal
 *       to {@code _count}, and a {@code _sum};</li>
 *   <li>clf's conventions: every name starts {@code clf_}, counters end {@code _total} and are
 *       never negative, every family has HELP text.</li>
 * </ul>
 */
final class Exposition {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern GO_FLOAT = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /** One sample line. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    /** One family: its TYPE, HELP and samples in order. */
    record Family(String name, String type, String help, List<Sample> samples) {
        /** The value of the sample named {@code name} with exactly these labels (name, value, …). */
        double sample(String name, String... labels) {
            Map<String, String> wanted = new TreeMap<>();
            for (int i = 0; i < labels.length; i += 2) {
                wanted.put(labels[i], labels[i + 1]);
            }
            return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(wanted))
                    .mapToDouble(Sample::value).findFirst()
                    .orElseThrow(() -> new AssertionError("no sample " + name + wanted + " in " + samples));
        }

        /** The value of this family's only sample of its own name with these labels. */
        double value(String... labels) {
            return sample(name, labels);
        }
    }

    private final Map<String, Family> families = new LinkedHashMap<>();
    private final Set<String> series = new HashSet<>();
    private String current;

    private Exposition() {
    }

    /** The families of {@code text} by name, in order; an AssertionError names the first violation. */
    static Map<String, Family> parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new AssertionError("the last line must end with a line feed");
        }
        Exposition exposition = new Exposition();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {
            try {
                exposition.line(lines[i]);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("line " + (i + 1) + " '" + lines[i] + "': " + e.getMessage(), e);
            }
        }
        exposition.families.values().forEach(Exposition::checkFamily);
        return exposition.families;
    }

    private void line(String line) {
        if (line.contains("\r")) {
            throw new AssertionError("carriage return in a line");
        }
        String trimmed = line.strip();
        if (trimmed.isEmpty()) {
            return;
        }
        if (trimmed.startsWith("#")) {
            comment(trimmed.substring(1).strip());
        } else {
            sample(trimmed);
        }
    }

    private void comment(String comment) {
        String[] tokens = comment.split("[ \t]+", 3);
        if (tokens[0].equals("HELP")) {
            require(tokens.length >= 2, "HELP needs a metric name");
            String name = metricName(tokens[1]);
            Family family = enter(name);
            require(family.help() == null, "a second HELP for " + name);
            String help = tokens.length > 2 ? unescape(tokens[2], false) : "";
            families.put(name, new Family(name, family.type(), help, family.samples()));
        } else if (tokens[0].equals("TYPE")) {
            require(tokens.length == 3 && !tokens[2].contains(" "), "TYPE needs exactly a name and a type");
            String name = metricName(tokens[1]);
            require(TYPES.contains(tokens[2]), "unknown type " + tokens[2]);
            Family family = enter(name);
            require(family.type() == null, "a second TYPE for " + name);
            require(family.samples().isEmpty(), "TYPE after samples of " + name);
            families.put(name, new Family(name, tokens[2], family.help(), family.samples()));
        }
        // any other comment is ignored, as the format says
    }

    /** Makes {@code name} the family being written; a family cannot be taken up again later. */
    private Family enter(String name) {
        if (!name.equals(current)) {
            require(!families.containsKey(name), "the lines of " + name + " are not one uninterrupted group");
            families.put(name, new Family(name, null, null, new ArrayList<>()));
            current = name;
        }
        return families.get(name);
    }

    private void sample(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ' && line.charAt(i) != '\t') {
            i++;
        }
        String name = metricName(line.substring(0, i));
        Map<String, String> labels = new TreeMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i = labels(line, i + 1, labels);
        }
        String[] rest = line.substring(i).strip().split("[ \t]+");
        require(rest.length == 1 || rest.length == 2, "expected a value and at most a timestamp");
        double value = value(rest[0]);
        if (rest.length == 2) {
            require(rest[1].matches("-?\\d+"), "a timestamp is an int64: " + rest[1]);
        }
        Family family = families.get(current);
        require(family != null && family.type() != null, "sample " + name + " has no TYPE line before it");
        require(belongsTo(name, family), "sample " + name + " inside family " + family.name());
        require(series.add(name + labels), "duplicate series " + name + labels);
        family.samples().add(new Sample(name, labels, value));
    }

    private static boolean belongsTo(String name, Family family) {
        String base = family.name();
        return switch (family.type()) {
            case "histogram" -> name.equals(base + "_bucket") || name.equals(base + "_sum") || name.equals(base + "_count");
            case "summary" -> name.equals(base) || name.equals(base + "_sum") || name.equals(base + "_count");
            default -> name.equals(base);
        };
    }

    /** Reads {@code name="value",…}} from {@code start}; returns the index after the closing brace. */
    private static int labels(String line, int start, Map<String, String> labels) {
        int i = start;
        while (true) {
            require(i < line.length(), "unterminated label set");
            if (line.charAt(i) == '}') {
                return i + 1;
            }
            int equals = line.indexOf('=', i);
            require(equals > i, "a label needs name=\"value\"");
            String label = line.substring(i, equals);
            require(LABEL_NAME.matcher(label).matches() && !label.startsWith("__"), "bad label name '" + label + "'");
            require(equals + 1 < line.length() && line.charAt(equals + 1) == '"', "a label value must be quoted");
            StringBuilder raw = new StringBuilder();
            int j = equals + 2;
            while (true) {
                require(j < line.length(), "unterminated label value");
                char c = line.charAt(j);
                if (c == '\\') {
                    require(j + 1 < line.length(), "a backslash at the end of a label value");
                    raw.append(c).append(line.charAt(j + 1));
                    j += 2;
                } else if (c == '"') {
                    break;
                } else {
                    raw.append(c);
                    j++;
                }
            }
            require(labels.put(label, unescape(raw.toString(), true)) == null, "label " + label + " twice");
            i = j + 1;
            require(i < line.length(), "unterminated label set");
            if (line.charAt(i) == ',') {
                i++;
            } else {
                require(line.charAt(i) == '}', "expected , or } after a label");
            }
        }
    }

    /** Undoes the escapes: {@code \\} and {@code \n}, and in label values {@code \"}; any other is an error. */
    private static String unescape(String text, boolean labelValue) {
        StringBuilder plain = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                require(!(labelValue && c == '"'), "an unescaped double quote in a label value");
                plain.append(c);
                continue;
            }
            require(i + 1 < text.length(), "a backslash at the end");
            char next = text.charAt(++i);
            switch (next) {
                case '\\' -> plain.append('\\');
                case 'n' -> plain.append('\n');
                case '"' -> {
                    require(labelValue, "\\\" is not an escape of HELP text");
                    plain.append('"');
                }
                default -> throw new AssertionError("unknown escape \\" + next);
            }
        }
        return plain.toString();
    }

    private static double value(String text) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> {
                require(GO_FLOAT.matcher(text).matches(), "not a float: " + text);
                yield Double.parseDouble(text);
            }
        };
    }

    private static String metricName(String name) {
        require(METRIC_NAME.matcher(name).matches(), "bad metric name '" + name + "'");
        return name;
    }

    /** The checks that need a whole family: conventions, and the shape of histograms. */
    private static void checkFamily(Family family) {
        String name = family.name();
        require(family.type() != null, name + " has HELP but no TYPE");
        require(name.startsWith("clf_"), name + ": clf's metrics start with clf_");
        require(family.help() != null && !family.help().isBlank(), name + " has no HELP text");
        if (family.type().equals("counter")) {
            require(name.endsWith("_total"), "counter " + name + " must end in _total");
            family.samples().forEach(s -> require(s.value() >= 0, "counter " + name + " is negative"));
        } else {
            require(!name.endsWith("_total"), family.type() + " " + name + " must not end in _total");
        }
        if (family.type().equals("histogram")) {
            checkHistogram(family);
        }
    }

    private static void checkHistogram(Family family) {
        Map<Map<String, String>, List<Sample>> buckets = new LinkedHashMap<>();
        Map<Map<String, String>, Double> counts = new LinkedHashMap<>();
        Set<Map<String, String>> sums = new HashSet<>();
        for (Sample sample : family.samples()) {
            Map<String, String> labels = new TreeMap<>(sample.labels());
            if (sample.name().endsWith("_bucket")) {
                require(labels.remove("le") != null, sample.name() + " without le");
                buckets.computeIfAbsent(labels, l -> new ArrayList<>()).add(sample);
            } else if (sample.name().endsWith("_count")) {
                counts.put(labels, sample.value());
            } else {
                require(!labels.containsKey("le"), sample.name() + " must not have le");
                sums.add(labels);
            }
        }
        require(buckets.keySet().equals(counts.keySet()) && counts.keySet().equals(sums),
                family.name() + ": every label set needs buckets, _sum and _count");
        buckets.forEach((labels, series) -> {
            double lastBound = Double.NEGATIVE_INFINITY;
            double lastCount = 0;
            for (Sample bucket : series) {
                double bound = value(bucket.labels().get("le"));
                require(bound > lastBound, family.name() + labels + ": le must increase, got " + bucket.labels().get("le"));
                require(bucket.value() >= lastCount, family.name() + labels + ": buckets must be cumulative");
                lastBound = bound;
                lastCount = bucket.value();
            }
            require(lastBound == Double.POSITIVE_INFINITY, family.name() + labels + ": the last bucket must be +Inf");
            require(lastCount == counts.get(labels), family.name() + labels + ": +Inf bucket differs from _count");
        });
    }

    private static void require(boolean condition, String problem) {
        if (!condition) {
            throw new AssertionError(problem);
        }
    }
}
