package clf.server.internal.cattle.spawn;

import clf.protocol.ApiException;
import clf.protocol.ErrorCode;
import clf.protocol.JobKind;
import clf.protocol.SpawnPayload;
import clf.protocol.Ttl;
import clf.server.internal.cattle.CattleRuntime;
import clf.server.internal.cattle.catalog.CatalogCheck;
import clf.server.internal.config.CattleConfig;
import clf.server.internal.config.ImageRef;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the bot API checks about a cattle job before queueing it, so a bot learns at once (not
 * from a failed job later) that it asked for something it may not have: a TTL over the limit,
 * an identity that does not exist, operator-only inputs (an image, server type or location
 * outside the allow-lists, or {@code withGithubToken}), an image, server type or location
 * Hetzner does not offer ({@link CatalogCheck#admit}, for operators too), and a cloud-init
 * document over Hetzner's size limit ({@link UserDataSize}, for operators too).
 */
public final class SpawnAdmission {
    private final CattleConfig cattle;
    private final Duration maxTtl;
    /** The cattle side, once started (null: it started before this was made, see the fields below). */
    private final Supplier<CattleRuntime> runtime;
    private final CatalogCheck catalog;
    private final UserDataSize userData;

    /**
     * @param cattle   null when cattle is disabled: cattle jobs are then refused with 503
     * @param catalog  null when cattle is disabled
     * @param userData null when cattle is disabled
     */
    public SpawnAdmission(CattleConfig cattle, Duration maxTtl, CatalogCheck catalog, UserDataSize userData) {
        this.cattle = cattle;
        this.maxTtl = maxTtl;
        this.runtime = null;
        this.catalog = catalog;
        this.userData = userData;
    }

    /**
     * @param cattle  null when cattle is disabled: cattle jobs are then refused with 503
     * @param runtime the cattle side, waited for a bounded time while it starts: null if it has
     *                not started by then, and a spawn is then judged at its run (as when Hetzner
     *                could not be asked)
     */
    public SpawnAdmission(CattleConfig cattle, Duration maxTtl, Supplier<CattleRuntime> runtime) {
        this.cattle = cattle;
        this.maxTtl = maxTtl;
        this.runtime = runtime;
        this.catalog = null;
        this.userData = null;
    }

    public void check(JobKind kind, Map<String, Object> payload, boolean operator) {
        if (cattle == null) {
            throw new ApiException(ErrorCode.UNAVAILABLE,
                    "cattle is disabled on this orchestrator (CLF_CATTLE_ENABLED=0); " + kind.wireName() + " cannot run");
        }
        if (kind != JobKind.CATTLE_SPAWN) {
            return;
        }
        SpawnPayload spawn = SpawnPayload.fromJson(payload);
        if (!spawn.ttl().isEmpty() && Ttl.parse("payload.ttl", spawn.ttl()).compareTo(maxTtl) > 0) {
            throw new ApiException(ErrorCode.INVALID_INPUT, "payload.ttl: at most " + Ttl.format(maxTtl) + ", got '"
                    + spawn.ttl() + "'");
        }
        if (!Identity.exists(cattle.identitiesRoot(), spawn.identity())) {
            throw new ApiException(ErrorCode.INVALID_INPUT, "payload.identity: no identity named '" + spawn.identity()
                    + "' on this orchestrator");
        }
        if (!spawn.image().isEmpty()) {
            try {
                ImageRef.parse(spawn.image());
            } catch (IllegalArgumentException e) {
                throw new ApiException(ErrorCode.INVALID_INPUT, "payload.image: " + e.getMessage());
            }
        }
        if (!operator) {
            checkBotMay(spawn);
        }
        CattleRuntime started = runtime == null ? null : runtime.get();
        CatalogCheck catalogNow = started != null ? started.catalog() : catalog;
        UserDataSize userDataNow = started != null ? new UserDataSize(started) : userData;
        if (catalogNow != null) {
            catalogNow.admit(spawn.serverType(), spawn.image(), spawn.location());
        }
        if (userDataNow != null) {
            userDataNow.check(spawn);
        }
    }

    private void checkBotMay(SpawnPayload spawn) {
        if (spawn.withGithubToken()) {
            throw forbidden("payload.withGithubToken", "only operators may hand a VM the GitHub token");
        }
        if (!cattle.botMayUseImage(spawn.image())) {
            throw forbidden("payload.image", "'" + spawn.image() + "' is not in CLF_CATTLE_ALLOWED_IMAGES");
        }
        if (!cattle.botMayUseServerType(spawn.serverType())) {
            throw forbidden("payload.serverType", "'" + spawn.serverType() + "' is not in CLF_CATTLE_ALLOWED_SERVER_TYPES");
        }
        if (!cattle.botMayUseLocation(spawn.location())) {
            throw forbidden("payload.location", "'" + spawn.location() + "' is not in CLF_CATTLE_ALLOWED_LOCATIONS");
        }
    }

    private static ApiException forbidden(String field, String why) {
        return new ApiException(ErrorCode.FORBIDDEN, field + ": " + why + " (operators may)");
    }
}
