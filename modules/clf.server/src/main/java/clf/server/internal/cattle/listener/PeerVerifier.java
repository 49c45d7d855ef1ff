package clf.server.internal.cattle.listener;

import clf.protocol.Health;
import clf.secrets.TokenGrant;
import clf.server.internal.config.VerifyPeer;
import clf.server.internal.log.Log;
import clf.server.internal.tailnet.LocalApi;
import clf.server.internal.tailnet.LocalApiException;
import clf.server.internal.tailnet.TailnetNode;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Binds a bootstrap token to its VM: GET /v1/cattle/env is answered only when tailscaled says the
 * caller's address belongs to the tailnet node named like the server the token was made for
 * ({@link TokenGrant#cattleName()}: the VM boots with that host name and joins the tailnet under
 * it). Which of the node's names must match, and why, is {@link TailnetNode#isHost}.
 *
 * <p>Two steps, so the token's database transaction never waits on tailscaled: {@link #lookUp}
 * asks tailscaled before the token is read (a failure there is answered 503), and the check it
 * returns compares the answer with the grant inside the redemption (a mismatch is
 * {@code Redemption.Rejected}: 403, and the token stays usable for the right VM).
 *
 * <p>What this protects against: a leaked token — it travels in the VM's user_data, so it passes
 * through Hetzner, sits in cloud-init's files and can reach a careless tool's log — being spent
 * from any other machine that reaches the listener: another cattle VM, a bot's host, an
 * operator's laptop. A bearer token alone would buy the provider keys for whoever is first. What it does not protect against: (1) the tailnet name is
 * first come, first served: a tailnet member that knows the name ({@code cattle-IDENTITY-JOB8},
 * predictable from the job id) and joins under it before the VM holds it, and the VM becomes
 * {@code NAME-1} and is refused (logged as a mismatch); tag-scoped, ephemeral join keys and ACLs
 * that let only cattle reach the listener narrow who can try. (2) tailnet admins, who can rename
 * nodes. (3) whoever controls this host's tailscaled or its socket: its answer is trusted.
 * (4) other processes on the VM itself: to the tailnet they are the VM.
 */
public final class PeerVerifier {
    private final VerifyPeer mode;
    private final Path socket;
    private final Log log;
    /** Null while off; set once, when {@code auto} finds the socket, and never cleared. */
    private volatile LocalApi localApi;

    private PeerVerifier(VerifyPeer mode, Path socket, LocalApi localApi, Log log) {
        this.mode = mode;
        this.socket = socket;
        this.localApi = localApi;
        this.log = log;
    }

    /** No check: whoever holds a token gets its environment. */
    public static PeerVerifier off() {
        return new PeerVerifier(VerifyPeer.OFF, null, null, null);
    }

    /** Checks every caller with tailscaled's whois through {@code localApi}. */
    public static PeerVerifier tailnet(LocalApi localApi) {
        return new PeerVerifier(VerifyPeer.REQUIRED, localApi.socket(), localApi, null);
    }

    /**
     * The verifier {@code mode} asks for, saying in the log what it decided. {@code required}
     * without the socket was refused by the configuration already. {@code auto} without the socket
     * starts off and looks again (one stat) at each redemption and each health check: tailscaled
     * often starts after the daemon, and the first VM should not be served unchecked because of
     * it. Once on, it stays on: a socket that goes away later means tailscaled is down, and
     * redemptions wait for it (503) rather than going unchecked.
     */
    public static PeerVerifier start(VerifyPeer mode, Path socket, Log log) {
        if (mode == VerifyPeer.OFF) {
            log.warn("cattle.peer-verification", "state", "off", "mode", mode.value(),
                    "effect", "whoever holds a bootstrap token gets its environment, from any machine");
            return new PeerVerifier(mode, socket, null, log);
        }
        if (mode == VerifyPeer.AUTO && !LocalApi.socketPresent(socket)) {
            log.warn("cattle.peer-verification", "state", "off", "mode", mode.value(),
                    "reason", "no tailscaled LocalAPI socket at " + socket,
                    "effect", "until it appears, whoever holds a bootstrap token gets its environment, from any machine");
            return new PeerVerifier(mode, socket, null, log);
        }
        log.info("cattle.peer-verification", "state", "on", "mode", mode.value(), "socket", socket);
        return new PeerVerifier(mode, socket, new LocalApi(socket), log);
    }

    public boolean isOn() {
        return current() != null;
    }

    /** The LocalAPI to ask, turning {@code auto} on when the socket has appeared since the last look. */
    private LocalApi current() {
        LocalApi api = localApi;
        if (api != null || mode != VerifyPeer.AUTO || !LocalApi.socketPresent(socket)) {
            return api;
        }
        synchronized (this) {
            if (localApi == null) {
                localApi = new LocalApi(socket);
                log.info("cattle.peer-verification", "state", "on", "mode", mode.value(), "socket", socket,
                        "reason", "the tailscaled LocalAPI socket appeared");
            }
            return localApi;
        }
    }

    /**
     * The {@code peerVerification} health check: failing when verification is on (always so with
     * {@code required}) but tailscaled's socket is gone, since every redemption is then answered
     * 503; well, saying so, when it is off by choice ({@code off}) or for now ({@code auto}).
     */
    public Health.Check health() {
        LocalApi api = current();
        if (api == null) {
            return Health.Check.well(mode == VerifyPeer.OFF
                    ? "off (" + VerifyPeer.VARIABLE + "=off): a bootstrap token works from any machine"
                    : "off for now (" + VerifyPeer.VARIABLE + "=auto): no tailscaled LocalAPI socket at " + socket
                            + "; on as soon as it appears");
        }
        if (!LocalApi.socketPresent(api.socket())) {
            return Health.Check.failing("on (" + VerifyPeer.VARIABLE + "=" + mode.value()
                    + "), but no tailscaled LocalAPI socket at " + api.socket()
                    + ": every redemption is answered 503 until tailscaled is back");
        }
        return Health.Check.well("on (" + VerifyPeer.VARIABLE + "=" + mode.value() + "): tailscaled at " + api.socket());
    }

    /**
     * Asks tailscaled who is at {@code remote} and returns the check of a grant against the
     * answer: the reason to refuse, or empty. Off, nothing is asked and nothing is refused.
     *
     * @throws LocalApiException when tailscaled cannot be asked now; the token must not be touched
     */
    public Function<TokenGrant, Optional<String>> lookUp(InetSocketAddress remote) throws LocalApiException {
        Function<String, Optional<String>> check = lookUpNode(remote);
        return grant -> check.apply(grant.cattleName());
    }

    /**
     * Why the caller at {@code remote} may not speak for server {@code cattleName} (a report of
     * its task, issue 13), or empty. Off, nothing is asked and nothing is refused.
     *
     * @throws LocalApiException when tailscaled cannot be asked now
     */
    public Optional<String> refusal(InetSocketAddress remote, String cattleName) throws LocalApiException {
        return lookUpNode(remote).apply(cattleName);
    }

    /** Asks tailscaled once; the check compares its answer with a server name. */
    private Function<String, Optional<String>> lookUpNode(InetSocketAddress remote) throws LocalApiException {
        LocalApi localApi = current();
        if (localApi == null) {
            return name -> Optional.empty();
        }
        if (remote == null || remote.getAddress() == null) {
            return name -> Optional.of("the caller's address is unknown");
        }
        Optional<TailnetNode> node = localApi.whois(remote);
        String address = remote.getAddress().getHostAddress();
        return name -> refusal(name, address, node);
    }

    /** Why the node at {@code address} may not have the env of server {@code expected}; empty if it may. */
    static Optional<String> refusal(String expected, String address, Optional<TailnetNode> node) {
        if (node.isEmpty()) {
            return Optional.of("expected tailnet node " + expected + ", but tailscaled knows no node at " + address);
        }
        if (!node.get().isHost(expected)) {
            return Optional.of("expected tailnet node " + expected + ", but " + address + " is "
                    + node.get().describe());
        }
        return Optional.empty();
    }
}
