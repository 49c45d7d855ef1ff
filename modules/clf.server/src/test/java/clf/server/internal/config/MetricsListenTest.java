package clf.server.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsListenTest {
    @Test
    void loopbackAddressesAreTaken() {
        assertEquals(new MetricsListen("127.0.0.1", 9464), MetricsListen.parse("127.0.0.1:9464"));
        assertEquals(new MetricsListen("127.0.0.2", 1), MetricsListen.parse(" 127.0.0.2:1 "));
        assertEquals(new MetricsListen("[::1]", 9464), MetricsListen.parse("[::1]:9464"));
        assertEquals(new MetricsListen("127.0.0.1", 9464), MetricsListen.parse("localhost:9464"));
        assertNull(MetricsListen.parse("  "));
    }

    @Test
    void wildcardsOtherAddressesAndNamesAreRefused() {
        for (String value : new String[] {"0.0.0.0:9464", "[::]:9464", "0:9464", "100.64.0.7:9464", "10.0.0.1:9464",
            "example.org:9464", "*:9464", "[::ffff:100.64.0.7]:9464"}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> MetricsListen.parse(value), value);
            assertTrue(refused.getMessage().startsWith("only a loopback address"), refused.getMessage());
        }
    }

    @Test
    void aValueWithoutAPortIsRefusedNamingTheVariable() {
        EnvReader read = new EnvReader(Map.of("CLF_METRICS_LISTEN", "127.0.0.1"));

        assertNull(MetricsListen.fromEnv(read));

        assertEquals(java.util.List.of("CLF_METRICS_LISTEN: a loopback address and port such as 127.0.0.1:9464 or"
                + " [::1]:9464, got '127.0.0.1'"), read.problems());
        assertEquals(java.util.List.of("CLF_METRICS_LISTEN: port 0–65535, got '127.0.0.1:70000'"),
                reading("127.0.0.1:70000").problems());
    }

    static EnvReader reading(String value) {
        EnvReader read = new EnvReader(Map.of("CLF_METRICS_LISTEN", value));
        MetricsListen.fromEnv(read);
        return read;
    }
}
