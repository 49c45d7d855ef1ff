package clf.server.internal.cattle.spawn;

import clf.protocol.ApiException;
import clf.protocol.ErrorCode;
import clf.protocol.SpawnPayload;
import clf.secrets.BootstrapTokens;
import clf.secrets.IssuedToken;
import clf.secrets.Secret;
import clf.server.internal.cattle.CattleRuntime;
import clf.server.internal.cattle.fleet.Labels;
import clf.server.internal.config.CattleConfig;
import clf.server.internal.worker.PermanentFailure;
import java.time.Instant;

/**
 * Renders a spawn's cloud-init at enqueue, as its job would, so that a document over Hetzner's
 * limit is refused at once (400) instead of failing the job after it has taken a token, a slot
 * and a Hetzner call. Values not known yet have their real length: the job id is a UUID, the
 * bootstrap token {@link BootstrapTokens#TOKEN_CHARS} characters.
 */
public final class UserDataSize {
    private static final String JOB_ID = "00000000-0000-4000-8000-000000000000";
    private static final IssuedToken TOKEN = new IssuedToken(Secret.of("0".repeat(BootstrapTokens.TOKEN_CHARS)),
            Instant.EPOCH);

    private final CattleRuntime cattle;

    public UserDataSize(CattleRuntime cattle) {
        this.cattle = cattle;
    }

    /** Refuses {@code spawn} when its user_data would be too large; anything else is the job's to find. */
    public void check(SpawnPayload spawn) {
        CattleConfig config = cattle.config();
        Secret tailscaleKey = cattle.joinKeys().sizeStandIn();
        Identity identity;
        try {
            identity = Identity.load(config.identitiesRoot(), spawn.identity());
        } catch (PermanentFailure e) {
            throw new ApiException(ErrorCode.INVALID_INPUT, "payload.identity: " + e.getMessage());
        }
        if (tailscaleKey == null) {
            return; // the job fails on it, saying so; the size cannot be known without it
        }
        try {
            CloudInit.render(new CloudInit.Inputs(Labels.serverName(identity.name(), JOB_ID), config.adminKeys(),
                    tailscaleKey, spawn.task(), SpawnHandler.publicEnv(config, spawn), cattle.secretsBaseUrl(), TOKEN,
                    identity));
        } catch (CloudInit.TooLarge e) {
            throw new ApiException(ErrorCode.INVALID_INPUT, "payload: the VM's cloud-init user_data would be "
                    + e.bytes() + " bytes, over Hetzner's limit of " + CloudInit.MAX_BYTES
                    + " bytes; shorten payload.task.message (or the identity's files)");
        }
    }
}
