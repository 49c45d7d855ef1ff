package clf.server.internal.cattle.spawn;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.protocol.ApiException;
import clf.protocol.ErrorCode;
import clf.protocol.JobKind;
import clf.secrets.SecretSource;
import clf.server.internal.config.CattleConfig;
import clf.server.internal.config.EnvReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the bot API refuses at enqueue (spec §9.1.2 fixed): operator-only inputs, unknown identities, long TTLs. */
class SpawnAdmissionTest {
    static final boolean BOT = false;
    static final boolean OPERATOR = true;

    @TempDir
    Path dir;
    SpawnAdmission admission;

    @BeforeEach
    void configure() throws Exception {
        Files.createDirectories(dir.resolve("identities/rex"));
        Map<String, String> env = Map.of(
                "HCLOUD_TOKEN", "hc", "TAILSCALE_AUTH_KEY", "ts", "CLF_CATTLE_IMAGE", "clf-cattle",
                "CLF_ADMIN_AUTHORIZED_KEYS", "ssh-ed25519 AAAA admin",
                "CLF_CATTLE_ALLOWED_IMAGES", "clf-cattle-next", "CLF_CATTLE_ALLOWED_SERVER_TYPES", "cx32",
                "CLF_CATTLE_ALLOWED_LOCATIONS", "fsn1, hel1",
                "CLF_IDENTITIES_ROOT", dir.resolve("identities").toString());
        EnvReader read = new EnvReader(env);
        CattleConfig cattle = CattleConfig.fromEnv(env, new SecretSource(null, env), dir.resolve("state.sqlite"), read);
        assertEquals(java.util.List.of(), read.problems());
        admission = new SpawnAdmission(cattle, Duration.ofHours(24), null, null);
    }

    static Map<String, Object> spawn(Map<String, Object> overrides) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("identity", "rex");
        payload.put("task", Map.of("taskId", "t-1", "message", "hello"));
        payload.putAll(overrides);
        return payload;
    }

    ApiException refused(Map<String, Object> overrides, boolean operator) {
        return assertThrows(ApiException.class, () -> admission.check(JobKind.CATTLE_SPAWN, spawn(overrides), operator));
    }

    @Test
    void aPlainSpawnOfAKnownIdentityIsAdmittedForBots() {
        assertDoesNotThrow(() -> admission.check(JobKind.CATTLE_SPAWN, spawn(Map.of("ttl", "24h")), BOT));
        assertDoesNotThrow(() -> admission.check(JobKind.CATTLE_REAP, Map.of(), BOT));
    }

    @Test
    void botsMayUseOnlyConfiguredOrAllowListedImageTypeAndLocation() {
        for (Map<String, Object> allowed : java.util.List.<Map<String, Object>>of(Map.of("image", "clf-cattle"),
                Map.of("image", "clf-cattle-next"), Map.of("serverType", "cx23"), Map.of("serverType", "cx32"),
                Map.of("location", "nbg1"), Map.of("location", "hel1"))) {
            assertDoesNotThrow(() -> admission.check(JobKind.CATTLE_SPAWN, spawn(allowed), BOT), allowed.toString());
        }
        ApiException image = refused(Map.of("image", "ubuntu-24.04"), BOT);
        assertEquals(ErrorCode.FORBIDDEN, image.code());
        assertEquals(403, image.code().httpStatus());
        assertEquals("payload.image: 'ubuntu-24.04' is not in CLF_CATTLE_ALLOWED_IMAGES (operators may)", image.getMessage());

        ApiException type = refused(Map.of("serverType", "ccx63"), BOT);
        assertEquals(ErrorCode.FORBIDDEN, type.code());
        assertTrue(type.getMessage().startsWith("payload.serverType: 'ccx63'"), type.getMessage());

        ApiException location = refused(Map.of("location", "ash"), BOT);
        assertEquals(ErrorCode.FORBIDDEN, location.code());
        assertTrue(location.getMessage().startsWith("payload.location: 'ash'"), location.getMessage());
    }

    @Test
    void withGithubTokenIsForOperatorsOnly() {
        ApiException github = refused(Map.of("withGithubToken", true), BOT);
        assertEquals(ErrorCode.FORBIDDEN, github.code());
        assertEquals("payload.withGithubToken: only operators may hand a VM the GitHub token (operators may)",
                github.getMessage());
        assertDoesNotThrow(() -> admission.check(JobKind.CATTLE_SPAWN, spawn(Map.of("withGithubToken", false)), BOT));
    }

    @Test
    void operatorsMayUseEveryOperatorOnlyInput() {
        assertDoesNotThrow(() -> admission.check(JobKind.CATTLE_SPAWN, spawn(Map.of("image", "ubuntu-24.04",
                "serverType", "ccx63", "location", "ash", "withGithubToken", true)), OPERATOR));
    }

    @Test
    void anUnknownIdentityIs400ForEveryone() {
        for (boolean operator : new boolean[] {BOT, OPERATOR}) {
            ApiException unknown = refused(Map.of("identity", "ghost"), operator);
            assertEquals(ErrorCode.INVALID_INPUT, unknown.code());
            assertEquals(400, unknown.code().httpStatus());
            assertEquals("payload.identity: no identity named 'ghost' on this orchestrator", unknown.getMessage());
        }
    }

    @Test
    void aTtlOverTheMaximumIs400ForEveryone() {
        for (boolean operator : new boolean[] {BOT, OPERATOR}) {
            ApiException tooLong = refused(Map.of("ttl", "25h"), operator);
            assertEquals(ErrorCode.INVALID_INPUT, tooLong.code());
            assertEquals("payload.ttl: at most 1d, got '25h'", tooLong.getMessage());
        }
    }

    @Test
    void withCattleDisabledCattleJobsAre503() {
        ApiException disabled = assertThrows(ApiException.class,
                () -> new SpawnAdmission(null, Duration.ofHours(24), null, null).check(JobKind.CATTLE_SPAWN, spawn(Map.of()), OPERATOR));
        assertEquals(ErrorCode.UNAVAILABLE, disabled.code());
    }
}
