package clf.hetzner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import clf.hetzner.testing.SimHarness;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each operator of the label selector language, end to end through the client and the simulator. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LabelSelectorQueryTest {
    private final SimHarness h = new SimHarness();
    private HetznerClient client;

    @BeforeAll
    void servers() {
        h.sim.addServer("prod", Map.of("env", "prod", "team", "a"));
        h.sim.addServer("dev", Map.of("env", "dev", "team", "b"));
        h.sim.addServer("bare", Map.of());
        client = h.client();
    }

    @AfterAll
    void close() {
        h.close();
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = ';', value = {
            "env=prod;             prod",
            "env==prod;            prod",
            "env!=prod;            bare dev",
            "env;                  dev prod",
            "!env;                 bare",
            "env in (prod,dev);    dev prod",
            "env in ( dev );       dev",
            "env notin (prod,qa);  bare dev",
            "env=prod,team=a;      prod",
            "env,team=b;           dev",
            "env=prod,team=b;      ''",
    })
    void selects(String selector, String expected) {
        List<String> want = expected.isEmpty() ? List.of() : List.of(expected.split(" "));
        assertEquals(want, ServerCallsTest.names(client.listServers(selector)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"env=(prod", "env in prod", "=prod", "env=prod,,", "-env=x"})
    void refusesMalformedSelectors(String selector) {
        HetznerApiException e = assertThrows(HetznerApiException.class, () -> client.listServers(selector));
        assertEquals("invalid_input", e.code());
    }
}
