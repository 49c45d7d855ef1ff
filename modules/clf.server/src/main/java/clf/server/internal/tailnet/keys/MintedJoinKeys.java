package clf.server.internal.tailnet.keys;

import clf.secrets.Secret;
import java.time.Duration;
import java.util.List;

/** One key per VM from Tailscale's API: single-use, ephemeral, pre-authorized, tagged. */
final class MintedJoinKeys implements JoinKeys {
    /**
     * Longer than any key Tailscale hands out ({@code tskey-auth-} + key id + secret, about 60
     * characters today), so the enqueue-time size check errs on the safe side.
     */
    private static final Secret STAND_IN = Secret.of("tskey-auth-" + "x".repeat(117));

    private final TailscaleApi api;
    private final List<String> tags;

    MintedJoinKeys(TailscaleApi api, List<String> tags) {
        this.api = api;
        this.tags = List.copyOf(tags);
    }

    @Override
    public Secret forServer(String serverName, Duration validFor) throws TailscaleApiException {
        return api.createJoinKey(tags, validFor, "clf " + serverName);
    }

    @Override
    public Secret sizeStandIn() {
        return STAND_IN;
    }
}
