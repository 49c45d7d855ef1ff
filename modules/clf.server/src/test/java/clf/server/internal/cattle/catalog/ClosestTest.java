package clf.server.internal.cattle.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClosestTest {
    @Test
    void nearestNamesComeFirstAndTiesGoByName() {
        List<String> types = List.of("cpx22", "cx23", "cx33", "cx43", "cax11", "ccx13");

        assertEquals(List.of("cx23", "cpx22", "cx33"), Closest.to("cx24", types, 3));
        assertEquals(List.of("cpx22"), Closest.to("CPX21", types, 1), "case does not count");
    }

    @Test
    void distanceCountsEdits() {
        assertEquals(0, Closest.distance("nbg1", "nbg1"));
        assertEquals(1, Closest.distance("nbg1", "nbg2"));
        assertEquals(3, Closest.distance("", "fsn"));
        assertEquals(2, Closest.distance("fsn1", "fns1"));
    }
}
