package clf.server.internal.tailnet.keys;

import clf.secrets.Secret;
import clf.secrets.SecretSource;
import clf.server.internal.config.CattleConfig;
import clf.server.internal.config.TailnetJoin;
import clf.server.internal.log.Log;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;

/**
 * The tailnet join key a new VM finds in its user data (issue 13 §5): minted for that VM alone
 * through Tailscale's API when an OAuth client is configured, else the operator's static key.
 */
public interface JoinKeys {
    /** How long a minted key outlives its bootstrap token's lifetime: the create call that starts the token's clock. */
    Duration CREATE_ALLOWANCE = Duration.ofMinutes(1);

    /**
     * The key for the server named {@code serverName}, valid for at least {@code validFor};
     * {@code null} when there is none (a static key that is not set).
     */
    Secret forServer(String serverName, Duration validFor) throws TailscaleApiException;

    /** A key as long as the one {@link #forServer} would give, to measure user data; {@code null} if none. */
    Secret sizeStandIn();

    /**
     * Keys as configured. Without an OAuth client this logs, once, the risk of the static key.
     */
    static JoinKeys of(TailnetJoin join, SecretSource secrets, Clock clock, Log log) {
        if (join.oauth()) {
            log.info("tailnet.join-keys", "mode", "minted per VM (single-use, ephemeral, pre-authorized)",
                    "tags", String.join(",", join.tags()), "api", join.apiUrl());
            TailscaleApi api = new TailscaleApi(join.apiUrl(), secrets, clock,
                    HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
            return new MintedJoinKeys(api, join.tags());
        }
        log.warn("tailnet.static-join-key", "risk", "every VM's user data carries the long-lived TAILSCALE_AUTH_KEY;"
                + " any process on a VM can read it from Hetzner's metadata service and join the tailnet with it"
                + " until it expires", "fix", "configure a Tailscale OAuth client (" + TailnetJoin.OAUTH_CLIENT_ID
                + ", " + TailnetJoin.OAUTH_CLIENT_SECRET + ") so each VM gets a single-use key of its own");
        return new JoinKeys() {
            @Override
            public Secret forServer(String serverName, Duration validFor) {
                return CattleConfig.tailscaleKey(secrets);
            }

            @Override
            public Secret sizeStandIn() {
                return CattleConfig.tailscaleKey(secrets);
            }
        };
    }
}
