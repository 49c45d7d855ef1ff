package clf.image;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one fault-proof scenario measured and which of its invariants broke. Figures print one
 * per line ({@code scenario.figure: value}) in the order they were added; every broken invariant
 * also prints, with the evidence, and makes {@link #ok()} false.
 */
final class ProofReport {
    /** Evidence kept per broken invariant; the count says how many there were in all. */
    private static final int EXAMPLES = 5;

    private final String scenario;
    private final Map<String, String> figures = new LinkedHashMap<>();
    private final Map<String, List<String>> broken = new LinkedHashMap<>();
    private final Map<String, Integer> brokenCounts = new LinkedHashMap<>();

    ProofReport(String scenario) {
        this.scenario = scenario;
    }

    ProofReport figure(String name, Object value) {
        figures.put(name, String.valueOf(value));
        return this;
    }

    /** Records that {@code invariant} failed, with one piece of evidence. */
    void broken(String invariant, String evidence) {
        brokenCounts.merge(invariant, 1, Integer::sum);
        List<String> examples = broken.computeIfAbsent(invariant, name -> new ArrayList<>());
        if (examples.size() < EXAMPLES) {
            examples.add(evidence);
        }
    }

    /** Counts {@code invariant} as a figure: its violations, 0 when it held. */
    void invariant(String invariant) {
        figure(invariant, brokenCounts.getOrDefault(invariant, 0));
    }

    boolean ok() {
        return broken.isEmpty();
    }

    String figureText(String name) {
        return figures.get(name);
    }

    void print(PrintStream out) {
        figures.forEach((name, value) -> out.println(scenario + "." + name + ": " + value));
        broken.forEach((invariant, examples) -> {
            out.println(scenario + " BROKEN " + invariant + " (" + brokenCounts.get(invariant) + "x)");
            examples.forEach(example -> out.println("    " + example));
        });
        out.println(scenario + ": " + (ok() ? "OK, every invariant held" : "FAILED"));
    }

    /** The whole report as text, for an assertion message. */
    @Override
    public String toString() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        print(new PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
        return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
