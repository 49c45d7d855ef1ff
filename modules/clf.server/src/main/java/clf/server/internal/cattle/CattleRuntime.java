package clf.server.internal.cattle;

import clf.hetzner.HetznerClient;
import clf.queue.JobStore;
import clf.secrets.BootstrapTokens;
import clf.secrets.SecretSource;
import clf.server.internal.cattle.capacity.SpawnSlots;
import clf.server.internal.cattle.catalog.CatalogCheck;
import clf.server.internal.cattle.fleet.LegacyFleet;
import clf.server.internal.config.CattleConfig;
import clf.server.internal.log.Log;
import clf.server.internal.tailnet.keys.JoinKeys;
import java.time.Clock;
import java.time.Duration;

/**
 * What the cattle handlers share: settings, the Hetzner client, tokens, capacity, secrets.
 *
 * @param secretsBaseUrl what VMs call to fetch their env (resolved once the listener is bound)
 * @param maxTtl         servers without a readable expiry are reaped after this long
 * @param jobs           the job store: the reaper deletes servers whose spawn job failed or was canceled
 * @param catalog        checks server type, image and location against Hetzner's catalog
 * @param legacy         the original implementation's servers and firewall
 * @param joinKeys       the tailnet join key of each new VM (minted per VM, or the static one)
 */
public record CattleRuntime(CattleConfig config, HetznerClient hetzner, BootstrapTokens tokens, SpawnSlots slots,
        SecretSource secrets, String secretsBaseUrl, Duration defaultTtl, Duration maxTtl, Clock clock, Log log,
        JobStore jobs, CatalogCheck catalog, LegacyFleet legacy, JoinKeys joinKeys) {
}
