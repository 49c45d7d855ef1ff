package clf.server.internal.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The strict reader the metrics tests rely on: it must refuse what the format forbids. */
class ExpositionTest {
    static final String HISTOGRAM = """
            # HELP clf_wait_seconds Waits.
            # TYPE clf_wait_seconds histogram
            clf_wait_seconds_bucket{kind="a",le="0.5"} 1
            clf_wait_seconds_bucket{kind="a",le="1"} 3
            clf_wait_seconds_bucket{kind="a",le="+Inf"} 4
            clf_wait_seconds_sum{kind="a"} 2.75
            clf_wait_seconds_count{kind="a"} 4
            """;

    static void refused(String text, String because) {
        AssertionError error = assertThrows(AssertionError.class, () -> Exposition.parse(text));
        assertTrue(error.getMessage().contains(because), error.getMessage());
    }

    @Test
    void readsFamiliesSamplesAndEscapedLabelValues() {
        Map<String, Exposition.Family> families = Exposition.parse("""
                # HELP clf_x_total Counts \\\\ things.\\nTwo lines.
                # TYPE clf_x_total counter
                clf_x_total{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 3
                clf_x_total{path="b"} 1.5e3
                """ + HISTOGRAM);

        Exposition.Family counter = families.get("clf_x_total");
        assertEquals("Counts \\ things.\nTwo lines.", counter.help());
        assertEquals(3, counter.value("path", "C:\\DIR\\FILE.TXT", "error", "Cannot find file:\n\"FILE.TXT\""));
        assertEquals(1500, counter.value("path", "b"));
        assertEquals(4, families.get("clf_wait_seconds").sample("clf_wait_seconds_count", "kind", "a"));
    }

    @Test
    void aSampleNeedsATypeLineBeforeIt() {
        refused("clf_x 1\n", "no TYPE line before it");
        refused("# HELP clf_x X.\nclf_x 1\n# TYPE clf_x gauge\n", "no TYPE line before it");
    }

    @Test
    void familiesAreNotInterleavedNorRepeated() {
        refused("""
                # HELP clf_a A.
                # TYPE clf_a gauge
                # HELP clf_b B.
                # TYPE clf_b gauge
                clf_a 1
                """, "inside family clf_b");
        refused("""
                # HELP clf_a A.
                # TYPE clf_a gauge
                clf_a 1
                # HELP clf_b B.
                # TYPE clf_b gauge
                # TYPE clf_a gauge
                """, "not one uninterrupted group");
    }

    @Test
    void aSeriesAppearsOnce() {
        refused("# HELP clf_a A.\n# TYPE clf_a gauge\nclf_a{x=\"1\"} 1\nclf_a{x=\"1\"} 2\n", "duplicate series");
    }

    @Test
    void labelValuesKnowOnlyThreeEscapes() {
        refused("# HELP clf_a A.\n# TYPE clf_a gauge\nclf_a{x=\"a\\tb\"} 1\n", "unknown escape");
        refused("# HELP clf_a A.\n# TYPE clf_a gauge\nclf_a{x=\"a\nb\"} 1\n", "unterminated");
    }

    @Test
    void valuesAreGoFloats() {
        refused("# HELP clf_a A.\n# TYPE clf_a gauge\nclf_a 1.0d\n", "not a float");
        refused("# HELP clf_a A.\n# TYPE clf_a gauge\nclf_a\n", "not a float");
        assertEquals(Double.POSITIVE_INFINITY,
                Exposition.parse("# HELP clf_a A.\n# TYPE clf_a gauge\nclf_a +Inf\n").get("clf_a").value());
    }

    @Test
    void histogramBucketsAreCumulativeAndEndInInfEqualToTheCount() {
        refused(HISTOGRAM.replace("le=\"1\"} 3", "le=\"1\"} 0"), "cumulative");
        refused(HISTOGRAM.replace("le=\"+Inf\"} 4", "le=\"2\"} 4"), "last bucket must be +Inf");
        refused(HISTOGRAM.replace("_count{kind=\"a\"} 4", "_count{kind=\"a\"} 5"), "differs from _count");
        refused(HISTOGRAM.replace("le=\"1\"", "le=\"0.25\""), "le must increase");
        refused(HISTOGRAM.replace("clf_wait_seconds_sum{kind=\"a\"} 2.75\n", ""), "needs buckets, _sum and _count");
    }

    @Test
    void clfConventionsHold() {
        refused("# HELP clf_a A.\n# TYPE clf_a counter\nclf_a 1\n", "must end in _total");
        refused("# HELP clf_a_total A.\n# TYPE clf_a_total gauge\nclf_a_total 1\n", "must not end in _total");
        refused("# HELP other A.\n# TYPE other gauge\nother 1\n", "start with clf_");
        refused("# TYPE clf_a gauge\nclf_a 1\n", "no HELP");
        refused("# HELP clf_a_total A.\n# TYPE clf_a_total counter\nclf_a_total -1\n", "negative");
        refused("# HELP clf_a A.\n# TYPE clf_a gauge\nclf_a 1", "line feed");
    }
}
