package clf.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.hetzner.sim.SimServer;
import clf.testing.RawHttp;
import clf.testing.TailscaledDouble;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real daemon binds each bootstrap token to its VM by asking tailscaled's LocalAPI (here a
 * double on a Unix socket, named by CLF_TAILSCALE_SOCKET) who is calling; and
 * CLF_CATTLE_VERIFY_PEER decides at start what happens without that socket.
 */
class PeerVerificationIT {
    static final String HCLOUD = "hcloud-peer-it";
    static final Map<String, String> SECRETS = Map.of("HCLOUD_TOKEN", HCLOUD, "TAILSCALE_AUTH_KEY", "tskey-peer-it",
            "OPENAI_API_KEY", "sk-peer-it");

    @TempDir
    static Path dir;
    static TailscaledDouble tailscaled;
    static CattleRig rig;

    @BeforeAll
    static void start() throws Exception {
        tailscaled = TailscaledDouble.start(dir.resolve("tailscaled.sock"));
        Map<String, String> extra = new HashMap<>(SECRETS);
        extra.put("CLF_CATTLE_VERIFY_PEER", "required");
        extra.put("CLF_TAILSCALE_SOCKET", tailscaled.socket().toString());
        rig = CattleRig.start(dir, HCLOUD, extra);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            rig.close();
        } finally {
            tailscaled.close();
        }
    }

    /** A spawned VM as the test plays it: its bootstrap token and its server's name. */
    record Vm(String token, String server) {
    }

    static Vm spawn(String key) throws Exception {
        SimServer server = rig.awaitServer(rig.spawn("rex", key));
        return new Vm(CattleRig.tokenOf(server), server.name());
    }

    /** 127.0.0.1, where this test plays the VM, is the node whose MagicDNS name is {@code host}.tail4f3b2.ts.net; null: no node. */
    static void loopbackIs(String host) {
        loopbackIs(tailscaled, host);
    }

    static void loopbackIs(TailscaledDouble tailscaled, String host) {
        if (host == null) {
            tailscaled.forget("127.0.0.1");
        } else {
            tailscaled.node("127.0.0.1", TailscaledDouble.whoisOf(host + ".tail4f3b2.ts.net.", host, host));
        }
    }

    @Test
    void onlyTheNodeNamedLikeTheServerGetsTheEnvAndAMismatchDoesNotUseTheTokenUp() throws Exception {
        assertTrue(rig.daemon.out().contains("cattle.peer-verification state=on mode=required socket="
                + tailscaled.socket()), rig.daemon.output());
        Vm vm = spawn("match");
        String token = vm.token();
        String server = vm.server();

        loopbackIs("laptop");
        RawHttp.Response rejected = rig.request("GET", "/v1/cattle/env", "Bearer " + token);
        assertEquals(403, rejected.status(), rejected.toString());
        assertEquals("this token belongs to another machine", rejected.errorMessage());
        assertTrue(rig.daemon.awaitLog("cattle.env-rejected", Duration.ofSeconds(5)), rig.daemon.output());
        String line = rig.daemon.out().lines().filter(l -> l.contains("cattle.env-rejected")).findFirst().orElseThrow();
        assertTrue(line.contains("server=" + server) && line.contains("remote=127.0.0.1")
                && line.contains("laptop.tail4f3b2.ts.net."), line);

        loopbackIs(null);
        assertEquals(403, rig.request("GET", "/v1/cattle/env", "Bearer " + token).status(), "unknown to tailscaled");

        loopbackIs(server);
        RawHttp.Response fetched = rig.request("GET", "/v1/cattle/env", "Bearer " + token);
        assertEquals(200, fetched.status(), fetched.toString());
        assertEquals("sk-peer-it", ((Map<?, ?>) fetched.json().get("env")).get("OPENAI_API_KEY"));
        assertEquals(401, rig.request("GET", "/v1/cattle/env", "Bearer " + token).status(), "used up now");
        List<String> asked = tailscaled.requests().stream().map(TailscaledDouble.Request::addr).toList();
        assertTrue(asked.stream().allMatch(a -> a.matches("127\\.0\\.0\\.1:\\d+")), asked.toString());
        assertFalse(rig.daemon.output().contains(token), "the token is never logged");
    }

    @Test
    void aLocalApiThatClosesUnansweredIs503AndTheTokenSurvives() throws Exception {
        Vm vm = spawn("unavailable");
        loopbackIs(vm.server());

        tailscaled.fault(TailscaledDouble.Fault.CLOSE_UNANSWERED);
        RawHttp.Response unavailable;
        try {
            unavailable = rig.request("GET", "/v1/cattle/env", "Bearer " + vm.token());
        } finally {
            tailscaled.fault(TailscaledDouble.Fault.NONE);
        }
        assertEquals(503, unavailable.status(), unavailable.toString());
        assertEquals("peer verification unavailable; try again", unavailable.errorMessage());
        assertTrue(rig.daemon.awaitLog("ERROR cattle.env-peer-unverified", Duration.ofSeconds(5)), rig.daemon.output());

        assertEquals(200, rig.request("GET", "/v1/cattle/env", "Bearer " + vm.token()).status());
    }

    @Test
    void requiredWithoutTheSocketRefusesToStart(@TempDir Path other) throws Exception {
        Path missing = other.resolve("tailscaled.sock");
        Map<String, String> extra = new HashMap<>(SECRETS);
        extra.put("CLF_CATTLE_VERIFY_PEER", "required");
        extra.put("CLF_TAILSCALE_SOCKET", missing.toString());

        Image.Result result = Image.run(CattleRig.env(other, "http://127.0.0.1:9/v1", extra), "clf-orchestrator");

        assertEquals(1, result.exitCode(), result.toString());
        assertFalse(result.out().contains("clf-orchestrator.ready"), result.toString());
        assertTrue(result.err().contains("CLF_CATTLE_VERIFY_PEER=required: no tailscaled LocalAPI socket at " + missing),
                result.toString());
    }

    @Test
    void autoWithoutTheSocketStartsAndSaysVerificationIsOff(@TempDir Path other) throws Exception {
        Path missing = other.resolve("tailscaled.sock");
        Map<String, String> extra = new HashMap<>(SECRETS);
        extra.put("CLF_CATTLE_VERIFY_PEER", "auto");
        extra.put("CLF_TAILSCALE_SOCKET", missing.toString());

        try (CattleRig auto = CattleRig.start(other, HCLOUD, extra)) {
            assertTrue(auto.daemon.out().lines().anyMatch(l -> l.contains("WARN cattle.peer-verification state=off mode=auto")
                    && l.contains("no tailscaled LocalAPI socket at " + missing)), auto.daemon.output());
            SimServer server = auto.awaitServer(auto.spawn("rex", "auto"));
            assertEquals(200, auto.request("GET", "/v1/cattle/env", "Bearer " + CattleRig.tokenOf(server)).status());
            Map<?, ?> off = peerCheck(auto);
            assertEquals(true, off.get("ok"), "off for now is not a failure: " + off);
            assertTrue(String.valueOf(off.get("detail")).contains("off for now"), off.toString());

            // tailscaled comes up after the daemon: the next redemption is checked.
            try (TailscaledDouble late = TailscaledDouble.start(missing)) {
                loopbackIs(late, "laptop");
                SimServer next = auto.awaitServer(auto.spawn("rex", "auto-later"));
                RawHttp.Response rejected = auto.request("GET", "/v1/cattle/env", "Bearer " + CattleRig.tokenOf(next));
                assertEquals(403, rejected.status(), rejected.toString());
                assertTrue(auto.daemon.out().lines().anyMatch(l -> l.contains("INFO cattle.peer-verification state=on mode=auto")
                        && l.contains("appeared")), auto.daemon.output());
                assertEquals(true, peerCheck(auto).get("ok"));
                loopbackIs(late, next.name());
                assertEquals(200, auto.request("GET", "/v1/cattle/env", "Bearer " + CattleRig.tokenOf(next)).status());
            }
            auto.daemon.stop();
        }
    }

    @Test
    void requiredWhoseSocketGoesAwayIsAFailingCheckInClfStatus(@TempDir Path other) throws Exception {
        TailscaledDouble gone = TailscaledDouble.start(other.resolve("tailscaled.sock"));
        Map<String, String> extra = new HashMap<>(SECRETS);
        extra.put("CLF_CATTLE_VERIFY_PEER", "required");
        extra.put("CLF_TAILSCALE_SOCKET", gone.socket().toString());
        try (CattleRig required = CattleRig.start(other, HCLOUD, extra)) {
            assertEquals(0, required.clf.run("status").exitCode(), required.clf.run("status").toString());
            gone.close();

            Image.Result status = required.clf.run("status");
            assertEquals(2, status.exitCode(), status.toString());
            assertTrue(status.out().startsWith("health: FAILING (peerVerification)\n"), status.out());
            assertTrue(status.out().contains("peerVerification  FAIL  on (CLF_CATTLE_VERIFY_PEER=required), but no"
                    + " tailscaled LocalAPI socket at " + gone.socket()), status.out());
            required.daemon.stop();
        } finally {
            gone.close();
        }
    }

    /** The peerVerification check as {@code clf status --json} gives it. */
    static Map<?, ?> peerCheck(CattleRig rig) throws Exception {
        Image.Result status = rig.clf.run("status", "--json");
        Map<?, ?> health = (Map<?, ?>) com.fasterxml.jackson.jr.ob.JSON.std.mapFrom(status.out()).get("health");
        return (Map<?, ?>) ((Map<?, ?>) health.get("checks")).get("peerVerification");
    }
}
