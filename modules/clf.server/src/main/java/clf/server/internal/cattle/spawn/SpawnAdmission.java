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
    /** The checks that need Hetzner's catalog and the cattle side; either may be null (not checked here). */
    private record CattleChecks(CatalogCheck catalog, UserDataSize userData) {
        static final CattleChecks NONE = new CattleChecks(null, null);
    }

    private final CattleConfig cattle;
    private final Duration maxTtl;
    /** Asked once per spawn checked: the cattle side may still be starting when this is made. */
    private final Supplier<CattleChecks> checks;

    /**
     * @param cattle   null when cattle is disabled: cattle jobs are then refused with 503
     * @param catalog  null when cattle is disabled
     * @param userData null when cattle is disabled
     */
    public SpawnAdmission(CattleConfig cattle, Duration maxTtl, CatalogCheck catalog, UserDataSize userData) {
        this.cattle = cattle;
        this.maxTtl = maxTtl;
        CattleChecks fixed = new CattleChecks(catalog, userData);
        this.checks = () -> fixed;
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
        this.checks = () -> {
            CattleRuntime started = runtime.get();
            return started == null ? CattleChecks.NONE
                    : new CattleChecks(started.catalog(), new UserDataSize(started));
        };
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
        CattleChecks now = checks.get();
        if (now.catalog() != null) {
            now.catalog().admit(spawn.serverType(), spawn.image(), spawn.location());
        }
        if (now.userData() != null) {
            now.userData().check(spawn);
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
