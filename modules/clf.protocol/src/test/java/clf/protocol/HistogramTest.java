package clf.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistogramTest {
    static final Histogram WAITS = new Histogram(List.of(0.1, 1.0, 10.0), List.of(50L, 90L, 99L, 100L), 42.0);

    @Test
    void quantileBoundsAreTheEdgesOfTheBucketsTheyFallIn() {
        assertEquals(0.1, WAITS.quantileBound(0.5));
        assertEquals(1.0, WAITS.quantileBound(0.9));
        assertEquals(10.0, WAITS.quantileBound(0.99));
        assertEquals(Double.POSITIVE_INFINITY, WAITS.quantileBound(1.0), "one observation past the last bound");
        assertTrue(Double.isNaN(new Histogram(List.of(1.0), List.of(0L, 0L), 0).quantileBound(0.5)));
        assertEquals(100, WAITS.count());
    }

    @Test
    void onlyCumulativeCountsOverIncreasingBoundsMakeAHistogram() {
        assertThrows(IllegalArgumentException.class, () -> new Histogram(List.of(1.0), List.of(1L), 0));
        assertThrows(IllegalArgumentException.class, () -> new Histogram(List.of(1.0, 0.5), List.of(1L, 1L, 1L), 0));
        assertThrows(IllegalArgumentException.class, () -> new Histogram(List.of(1.0), List.of(2L, 1L), 0));
    }

    @Test
    void jsonRoundTripsAndBadJsonNamesTheField() {
        assertEquals(WAITS, Histogram.fromJson(JsonFields.of(WAITS.toJson(), "h")));

        InvalidInputException bad = assertThrows(InvalidInputException.class, () -> Histogram.fromJson(
                JsonFields.of(Map.of("bounds", List.of(1.0), "counts", List.of(3, 2), "sum", 1), "h")));
        assertTrue(bad.getMessage().startsWith("h.counts: a histogram"), bad.getMessage());
    }
}
