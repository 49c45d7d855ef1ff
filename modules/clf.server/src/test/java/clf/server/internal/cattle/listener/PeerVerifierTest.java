package clf.server.internal.cattle.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.secrets.TokenGrant;
import clf.server.internal.config.VerifyPeer;
import clf.server.internal.log.Log;
import clf.server.internal.tailnet.LocalApi;
import clf.server.internal.tailnet.LocalApiException;
import clf.testing.TailscaledDouble;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What each CLF_CATTLE_VERIFY_PEER mode decides at start, and what a lookup decides for a grant. */
class PeerVerifierTest {
    static final String VM = TailscaledDouble.FIXTURE_NAME;
    static final TokenGrant GRANT = new TokenGrant("job-1", "maren", VM, List.of(), Map.of());

    @TempDir
    Path dir;
    final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    final Log log = new Log(new PrintStream(logged, true, StandardCharsets.UTF_8), Clock.systemUTC());
    TailscaledDouble tailscaled;

    @AfterEach
    void stop() throws IOException {
        if (tailscaled != null) {
            tailscaled.close();
        }
    }

    static InetSocketAddress caller(String ip) throws IOException {
        return new InetSocketAddress(InetAddress.getByName(ip), 40312);
    }

    List<String> lines() {
        return logged.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void autoIsOnWhenTailscaledsSocketIsThere() throws IOException {
        tailscaled = TailscaledDouble.start(dir.resolve("tailscaled.sock"));

        assertTrue(PeerVerifier.start(VerifyPeer.AUTO, tailscaled.socket(), log).isOn());
        assertEquals(1, lines().size(), lines().toString());
        assertTrue(lines().get(0).contains("INFO cattle.peer-verification state=on mode=auto socket=" + tailscaled.socket()),
                lines().toString());
    }

    @Test
    void autoIsOffWithAWarningWhenTheSocketIsMissing() {
        Path missing = dir.resolve("no-tailscaled.sock");

        assertFalse(PeerVerifier.start(VerifyPeer.AUTO, missing, log).isOn());
        assertEquals(1, lines().size(), lines().toString());
        assertTrue(lines().get(0).contains("WARN cattle.peer-verification state=off mode=auto")
                && lines().get(0).contains("no tailscaled LocalAPI socket at " + missing), lines().toString());
    }

    @Test
    void autoTurnsOnWhenTheSocketAppearsAndSaysSoOnce() throws IOException {
        Path later = dir.resolve("tailscaled.sock");
        PeerVerifier auto = PeerVerifier.start(VerifyPeer.AUTO, later, log);
        assertEquals(Optional.empty(), auto.lookUp(caller("100.64.0.9")).apply(GRANT), "off: nobody is asked");
        assertTrue(auto.health().ok(), "off for now is not a failure: " + auto.health());
        assertTrue(auto.health().detail().contains("off for now (CLF_CATTLE_VERIFY_PEER=auto)"), auto.health().detail());

        tailscaled = TailscaledDouble.start(later)
                .node("100.64.0.9", TailscaledDouble.whoisOf("laptop.tail4f3b2.ts.net.", "laptop", "laptop"));

        assertTrue(auto.lookUp(caller("100.64.0.9")).apply(GRANT).orElseThrow().contains("laptop"),
                "the next redemption is checked");
        assertTrue(auto.isOn());
        assertEquals(1, tailscaled.requests().size(), tailscaled.requests().toString());
        assertEquals(2, lines().size(), lines().toString());
        assertTrue(lines().get(1).contains("INFO cattle.peer-verification state=on mode=auto")
                && lines().get(1).contains("appeared"), lines().toString());
        assertTrue(auto.health().ok() && auto.health().detail().startsWith("on (CLF_CATTLE_VERIFY_PEER=auto)"),
                auto.health().toString());
    }

    @Test
    void theHealthCheckFailsWhenTheSocketOfAVerifierThatIsOnGoesAway() throws IOException {
        tailscaled = TailscaledDouble.start(dir.resolve("tailscaled.sock"));
        PeerVerifier required = PeerVerifier.start(VerifyPeer.REQUIRED, tailscaled.socket(), log);
        assertTrue(required.health().ok(), required.health().toString());

        tailscaled.close();
        tailscaled = null;

        assertFalse(required.health().ok());
        assertTrue(required.health().detail().contains("on (CLF_CATTLE_VERIFY_PEER=required), but no tailscaled"
                + " LocalAPI socket at " + dir.resolve("tailscaled.sock")), required.health().detail());
        assertTrue(required.isOn(), "it stays on: redemptions wait for tailscaled (503) rather than go unchecked");
    }

    @Test
    void offByChoiceIsWellInTheHealthCheck() {
        PeerVerifier off = PeerVerifier.start(VerifyPeer.OFF, dir.resolve("tailscaled.sock"), log);
        assertTrue(off.health().ok());
        assertTrue(off.health().detail().startsWith("off (CLF_CATTLE_VERIFY_PEER=off)"), off.health().detail());
    }

    @Test
    void offWarnsOnceAndAsksNobody() throws IOException {
        tailscaled = TailscaledDouble.start(dir.resolve("tailscaled.sock"));

        PeerVerifier off = PeerVerifier.start(VerifyPeer.OFF, tailscaled.socket(), log);
        assertFalse(off.isOn());
        assertEquals(Optional.empty(), off.lookUp(caller("100.64.0.9")).apply(GRANT));
        assertEquals(Optional.empty(), off.lookUp(caller("100.64.0.10")).apply(GRANT));
        assertEquals(List.of(), tailscaled.requests());
        assertEquals(1, lines().size(), "one warning, at start: " + lines());
        assertTrue(lines().get(0).contains("WARN cattle.peer-verification state=off mode=off"), lines().toString());
    }

    @Test
    void requiredIsOn() throws IOException {
        tailscaled = TailscaledDouble.start(dir.resolve("tailscaled.sock"));

        assertTrue(PeerVerifier.start(VerifyPeer.REQUIRED, tailscaled.socket(), log).isOn());
        assertTrue(lines().get(0).contains("state=on mode=required"), lines().toString());
    }

    @Test
    void theVmPassesAnotherNodeAndAnUnknownAddressDoNot() throws IOException {
        tailscaled = TailscaledDouble.start(dir.resolve("tailscaled.sock"))
                .node("100.101.102.103", TailscaledDouble.fixture())
                .node("100.64.0.9", TailscaledDouble.whoisOf("laptop.tail4f3b2.ts.net.", "laptop", "laptop"));
        PeerVerifier verifier = PeerVerifier.start(VerifyPeer.REQUIRED, tailscaled.socket(), log);

        assertEquals(Optional.empty(), verifier.lookUp(caller("100.101.102.103")).apply(GRANT));
        assertEquals(Optional.of("expected tailnet node " + VM + ", but 100.64.0.9 is laptop.tail4f3b2.ts.net."
                + " (computed name laptop, host name laptop)"), verifier.lookUp(caller("100.64.0.9")).apply(GRANT));
        assertEquals(Optional.of("expected tailnet node " + VM + ", but tailscaled knows no node at 100.64.0.77"),
                verifier.lookUp(caller("100.64.0.77")).apply(GRANT));
        assertEquals(Optional.of("expected tailnet node other-vm, but 100.101.102.103 is cattle-rex-1a2b3c4d.tail4f3b2.ts.net."
                + " (computed name cattle-rex-1a2b3c4d, host name cattle-rex-1a2b3c4d)"),
                verifier.lookUp(caller("100.101.102.103")).apply(new TokenGrant("job-2", "maren", "other-vm", List.of(),
                        Map.of())), "the VM of one token is another token's stranger");
    }

    @Test
    void aLookupThatCannotBeMadeThrowsInsteadOfDeciding() throws IOException {
        PeerVerifier verifier = PeerVerifier.tailnet(new LocalApi(dir.resolve("gone.sock")));

        LocalApiException failure = assertThrows(LocalApiException.class, () -> verifier.lookUp(caller("100.101.102.103")));
        assertTrue(failure.getMessage().contains("cannot connect"), failure.getMessage());
    }
}
