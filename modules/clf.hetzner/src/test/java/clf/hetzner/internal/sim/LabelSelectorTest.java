package clf.hetzner.internal.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LabelSelectorTest {
    private static final Map<String, String> LABELS = Map.of("env", "prod", "example.com/team", "a", "empty", "");

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = ';', value = {
            "'';                         true",
            "env=prod;                   true",
            "env = prod;                 true",
            "env==prod;                  true",
            "env=dev;                    false",
            "env!=dev;                   true",
            "missing!=x;                 true",
            "env!=prod;                  false",
            "env;                        true",
            "missing;                    false",
            "!missing;                   true",
            "!env;                       false",
            "env in (dev, prod);         true",
            "env in (dev);               false",
            "missing in (a);             false",
            "env notin (dev,qa);         true",
            "missing notin (dev);        true",
            "env notin (prod);           false",
            "example.com/team=a;         true",
            "empty=;                     true",
            "env=prod,example.com/team=b; false",
            "env in (prod),!missing;     true",
    })
    void matches(String selector, boolean expected) {
        assertEquals(expected, LabelSelector.parse(selector).matches(LABELS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"env=(", "env in prod", "=x", "env=a,", "env in (a", "env inn (a)", "env=a b", "!", "env!x"})
    void refusesMalformedSelectors(String selector) {
        assertThrows(IllegalArgumentException.class, () -> LabelSelector.parse(selector));
    }
}
