package clf.hetzner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.hetzner.sim.SimExchange;
import clf.hetzner.testing.SimHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The token and the user_data never reach an error text or a toString; error bodies are cut short. */
class SecretHygieneTest {
    private static final String USER_DATA = "#cloud-config\nwrite_files: [{content: USERDATA-SECRET-4471}]\n";

    private final SimHarness h = new SimHarness();
    private final HetznerClient client = h.client();
    private final ServerSpec spec = new ServerSpec("secretive", "cx23", "ubuntu-24.04", null, USER_DATA,
            Map.of("job", "1"), List.of());

    @AfterEach
    void close() {
        h.close();
    }

    private static String everything(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            text.append(t).append('\n');
        }
        return text.toString();
    }

    private static void assertClean(String text) {
        assertFalse(text.contains(SimHarness.TOKEN), text);
        assertFalse(text.contains("USERDATA-SECRET"), text);
    }

    @Test
    void anApiThatEchoesSecretsHasThemRedacted() {
        h.sim.failNext(100, 500, "server_error", "broke on token " + SimHarness.TOKEN + " with " + USER_DATA);

        HetznerApiException e = assertThrows(HetznerApiException.class, () -> client.createServer(spec));

        assertClean(everything(e));
        assertClean(e.apiMessage());
        assertTrue(e.getMessage().contains("broke on token <redacted> with <redacted>"), e.getMessage());
        assertTrue(e.getMessage().startsWith("POST /servers: HTTP 500 server_error"), e.getMessage());
    }

    @Test
    void longErrorMessagesAreCut() {
        h.sim.failNext(1, 400, "invalid_input", "x".repeat(5000));

        HetznerApiException e = assertThrows(HetznerApiException.class, () -> client.createServer(spec));

        assertTrue(e.getMessage().length() < 400, e.getMessage());
        assertTrue(e.getMessage().endsWith("…(truncated)"), e.getMessage());
    }

    @Test
    void timeoutsDoNotMentionTheToken() {
        HetznerClient impatient = h.client(h.config().withRequestTimeout(Duration.ofMillis(200))
                .withRetries(1, Duration.ofMillis(500), Duration.ofSeconds(1), 0));
        h.sim.holdNext(1, Duration.ofSeconds(2));

        assertClean(everything(assertThrows(HetznerTransportException.class, () -> impatient.createServer(spec))));
    }

    @Test
    void theTokenTravelsOnlyInTheAuthorizationHeader() {
        client.createServer(spec);
        client.listServers("job=1");

        for (SimExchange exchange : h.sim.exchanges()) {
            assertFalse(exchange.rawQuery().contains(SimHarness.TOKEN));
            assertFalse(exchange.requestBody().contains(SimHarness.TOKEN));
        }
    }

    @Test
    void toStringsHideSecrets() {
        assertClean(spec.toString());
        assertTrue(spec.toString().contains("userData=<" + USER_DATA.length() + " bytes>"), spec.toString());
        assertClean(client.toString());
        client.createServer(spec);
        assertClean(h.sim.servers().get(0).toString());
        assertEquals(USER_DATA, h.sim.servers().get(0).userData());
    }
}
