package clf.protocol;

/**
 * The files cloud-init writes on a cattle VM (spec §3.8) and the agent {@code clf-cattle} reads:
 * the paths the original implementation used, so either image works with either daemon. The
 * daemon writes them (its {@code CloudInit}); the agent reads them. Field names are those of
 * the JSON each file holds.
 */
public final class CattleFiles {
    /** The task as 2-space JSON ({@link Task}, callback URL blanked), mode 0600. */
    public static final String TASK_PATH = "/var/lib/clawdlets/cattle/task.json";
    /** The tailnet join key, mode 0400; tailscaled's autoconnect unit reads it, not the agent. */
    public static final String TAILSCALE_KEY_PATH = "/run/secrets/tailscale_auth_key";
    /**
     * {@code {"baseUrl": …, "token": …, "expiresAt": …}}, mode 0400: where the cattle listener is,
     * the one-time bootstrap token, and (from this daemon; the original wrote none) the token's
     * expiry as a wire time. The agent deletes the file once the token is spent.
     */
    public static final String BOOTSTRAP_PATH = "/run/clawdlets/cattle/bootstrap.json";
    public static final String BOOTSTRAP_BASE_URL = "baseUrl";
    public static final String BOOTSTRAP_TOKEN = "token";
    public static final String BOOTSTRAP_EXPIRES_AT = "expiresAt";
    /** Public settings as a compact JSON object, mode 0400, only written when there are any. */
    public static final String PUBLIC_ENV_PATH = "/run/clawdlets/cattle/env.public";
    /** {@code "0"} turns the VM's power-off after its task off; absent means on (spec §3.3 step 5). */
    public static final String AUTO_SHUTDOWN = "CLAWDLETS_CATTLE_AUTO_SHUTDOWN";
    public static final String IDENTITY_DIR = "/var/lib/clawdlets/identity";

    private CattleFiles() {
    }
}
