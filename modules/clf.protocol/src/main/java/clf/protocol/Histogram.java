package clf.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Observations counted into buckets, as Prometheus histograms are: {@code counts.get(i)} is how
 * many observations were at most {@code bounds.get(i)}; the last count, one more than there are
 * bounds, is of all observations (the {@code +Inf} bucket). On the wire:
 * {@code {"bounds":[0.1,1],"counts":[3,5,6],"sum":4.2}}.
 *
 * @param bounds upper bounds in increasing order, without {@code +Inf}
 * @param counts cumulative counts, {@code bounds.size() + 1} of them, never decreasing
 * @param sum    the sum of all observed values
 */
public record Histogram(List<Double> bounds, List<Long> counts, double sum) {
    public Histogram {
        bounds = List.copyOf(bounds);
        counts = List.copyOf(counts);
        if (counts.size() != bounds.size() + 1) {
            throw new IllegalArgumentException("a histogram needs one count per bound and one for +Inf, got "
                    + bounds.size() + " bounds and " + counts.size() + " counts");
        }
        for (int i = 1; i < bounds.size(); i++) {
            if (!(bounds.get(i) > bounds.get(i - 1))) {
                throw new IllegalArgumentException("histogram bounds must increase: " + bounds);
            }
        }
        for (int i = 1; i < counts.size(); i++) {
            if (counts.get(i) < counts.get(i - 1)) {
                throw new IllegalArgumentException("histogram counts must be cumulative: " + counts);
            }
        }
    }

    /** How many observations there were. */
    public long count() {
        return counts.get(counts.size() - 1);
    }

    /**
     * The smallest bound that at least a fraction {@code q} of the observations are under, or
     * {@code +Infinity} when they reach past the last bound; NaN when nothing was observed. An
     * upper estimate: the bucket's edge, not a value anyone saw.
     */
    public double quantileBound(double q) {
        long total = count();
        if (total == 0) {
            return Double.NaN;
        }
        double wanted = q * total;
        for (int i = 0; i < bounds.size(); i++) {
            if (counts.get(i) >= wanted) {
                return bounds.get(i);
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("bounds", bounds);
        json.put("counts", counts);
        json.put("sum", sum);
        return json;
    }

    public static Histogram fromJson(JsonFields fields) {
        List<Double> bounds = new ArrayList<>();
        for (Object bound : fields.list("bounds")) {
            if (!(bound instanceof Number number)) {
                throw new InvalidInputException(fields.field("bounds"), "numbers", JsonFields.shown(bound));
            }
            bounds.add(number.doubleValue());
        }
        List<Long> counts = new ArrayList<>();
        for (Object count : fields.list("counts")) {
            if (!(count instanceof Integer || count instanceof Long)) {
                throw new InvalidInputException(fields.field("counts"), "whole numbers", JsonFields.shown(count));
            }
            counts.add(((Number) count).longValue());
        }
        try {
            return new Histogram(bounds, counts, fields.number("sum", 0.0));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(fields.field("counts"), "a histogram", e.getMessage());
        }
    }
}
