package clf.server.internal.tailnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.testing.TailscaledDouble;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whois client against a LocalAPI double on a real Unix socket. */
class LocalApiTest {
    static final InetSocketAddress VM = new InetSocketAddress(ip("100.101.102.103"), 51234);

    @TempDir
    Path dir;
    TailscaledDouble tailscaled;
    LocalApi api;

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @BeforeEach
    void start() throws IOException {
        tailscaled = TailscaledDouble.start(dir.resolve("tailscaled.sock"));
        api = new LocalApi(tailscaled.socket(), Duration.ofMillis(500));
    }

    @AfterEach
    void stop() throws IOException {
        tailscaled.close();
    }

    LocalApiException failure() {
        return assertThrows(LocalApiException.class, () -> api.whois(VM));
    }

    @Test
    void readsTheNodesNamesFromTailscaledsAnswer() throws IOException {
        tailscaled.node("100.101.102.103", TailscaledDouble.fixture());

        TailnetNode node = api.whois(VM).orElseThrow();

        assertEquals("cattle-rex-1a2b3c4d.tail4f3b2.ts.net.", node.name());
        assertEquals("cattle-rex-1a2b3c4d", node.computedName());
        assertEquals("cattle-rex-1a2b3c4d", node.hostname());
        assertEquals(List.of("100.101.102.103/32", "fd7a:115c:a1e0::e101:6667/128"), node.addresses());
    }

    @Test
    void asksTheWayTailscalesOwnClientDoes() throws IOException {
        tailscaled.node("100.101.102.103", TailscaledDouble.fixture());
        api.whois(VM);

        TailscaledDouble.Request request = tailscaled.requests().get(0);
        assertEquals("GET", request.method());
        assertEquals("/localapi/v0/whois?addr=100.101.102.103%3A51234", request.target(), "url.QueryEscape(IP:port)");
        assertEquals("local-tailscaled.sock", request.headers().get("host"));
        assertEquals("close", request.headers().get("connection"));
        assertFalse(request.headers().containsKey("authorization"), request.headers().toString());
    }

    @Test
    void sendsAnIpv6AddressInBracketsWithItsPort() throws IOException {
        tailscaled.node("fd7a:115c:a1e0::e101:6667", TailscaledDouble.fixture());

        Optional<TailnetNode> node = api.whois(new InetSocketAddress(ip("fd7a:115c:a1e0::e101:6667"), 443));

        assertTrue(node.isPresent());
        assertEquals("[fd7a:115c:a1e0:0:0:0:e101:6667]:443", tailscaled.requests().get(0).addr());
        assertEquals("%5Bfd7a%3A115c%3Aa1e0%3A0%3A0%3A0%3Ae101%3A6667%5D%3A443",
                tailscaled.requests().get(0).target().substring("/localapi/v0/whois?addr=".length()));
    }

    @Test
    void anAddressNoNodeHasIsEmpty() throws IOException {
        tailscaled.node("100.64.0.9", TailscaledDouble.fixture());

        assertEquals(Optional.empty(), api.whois(VM));
    }

    @Test
    void readsEveryWayGoFramesABody() throws IOException {
        String big = TailscaledDouble.fixture().replace("\"Tagged Devices\"", "\"Tagged Devices" + " ".repeat(3000) + "\"");
        assertTrue(big.length() > 2048, "over Go's buffer, so AS_GO chunks it");
        for (TailscaledDouble.Framing framing : TailscaledDouble.Framing.values()) {
            for (String body : List.of(TailscaledDouble.fixture(), big)) {
                tailscaled.framing(framing).node("100.101.102.103", body);
                assertEquals("cattle-rex-1a2b3c4d", api.whois(VM).orElseThrow().computedName(), framing.name());
            }
        }
    }

    @Test
    void anAbsentSocketSaysItCannotConnect() throws IOException {
        tailscaled.close();

        LocalApiException failure = failure();
        assertTrue(failure.getMessage().startsWith("tailscaled's LocalAPI at " + tailscaled.socket() + ": cannot connect"),
                failure.getMessage());
    }

    @Test
    void aFileWhereTheSocketShouldBeCannotBeConnected() throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-socket"), "x");
        api = new LocalApi(file, Duration.ofMillis(500));

        assertTrue(failure().getMessage().contains("cannot connect"));
    }

    @Test
    void aConnectionClosedUnansweredFails() {
        tailscaled.fault(TailscaledDouble.Fault.CLOSE_UNANSWERED);

        LocalApiException failure = failure();
        assertTrue(failure.getMessage().startsWith("tailscaled's LocalAPI at " + tailscaled.socket()), failure.getMessage());
    }

    @Test
    void aTailscaledThatNeverAnswersFailsAtTheDeadline() {
        tailscaled.node("100.101.102.103", TailscaledDouble.fixture()).fault(TailscaledDouble.Fault.HANG);

        assertTrue(failure().getMessage().endsWith(": no answer within 500 ms"));
        assertEquals(1, tailscaled.requests().size(), "the request was sent");
    }

    @Test
    void anAnswerThatIsNotJsonFails() {
        tailscaled.node("100.101.102.103", TailscaledDouble.fixture()).fault(TailscaledDouble.Fault.GARBAGE);

        assertTrue(failure().getMessage().contains("whois answer is not JSON"));
    }

    @Test
    void anOversizedAnswerIsCutOff() {
        tailscaled.fault(TailscaledDouble.Fault.HUGE);

        assertTrue(failure().getMessage().endsWith("answer longer than " + LocalApi.MAX_RESPONSE_BYTES + " bytes"));
    }

    @Test
    void jsonWithoutANodeNameFails() {
        tailscaled.node("100.101.102.103", "{\"Node\": {\"ComputedName\": \"cattle-rex-1a2b3c4d\"}, \"UserProfile\": {}}");
        assertTrue(failure().getMessage().endsWith("whois answer has no Node.Name"));

        tailscaled.node("100.101.102.103", "[1, 2]");
        assertTrue(failure().getMessage().endsWith("whois answer has no Node object"));
    }

    @Test
    void anotherStatusIsAFailureNamingStatusAndMessage() {
        tailscaled.answerEveryWhois(403, "whois access denied");

        assertTrue(failure().getMessage().endsWith("whois answered HTTP 403: whois access denied"));
    }

    @Test
    void socketPresentTellsASocketFromAFileADirectoryAndNothing() throws IOException {
        assertTrue(LocalApi.socketPresent(tailscaled.socket()));
        assertFalse(LocalApi.socketPresent(dir.resolve("absent.sock")));
        assertFalse(LocalApi.socketPresent(Files.writeString(dir.resolve("file.sock"), "")));
        assertFalse(LocalApi.socketPresent(Files.createDirectory(dir.resolve("dir.sock"))));
    }
}
