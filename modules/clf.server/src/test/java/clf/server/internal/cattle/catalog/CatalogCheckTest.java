package clf.server.internal.cattle.catalog;

import clf.server.internal.cattle.OnCattleRig;
import clf.server.internal.cattle.spawn.SpawnAdmission;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.hetzner.sim.HetznerSimulator;
import clf.protocol.ApiException;
import clf.protocol.ErrorCode;
import clf.protocol.Health;
import clf.protocol.JobKind;
import clf.server.internal.cattle.CattleRig;
import clf.server.internal.config.ConfigException;
import clf.server.internal.worker.PermanentFailure;
import clf.testing.SettableClock;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 16's "fail early" against the simulator's catalog (the real Hetzner client over HTTP):
 * at start, before a spawn, at enqueue, and as the {@code hetznerCatalog} health check.
 */
class CatalogCheckTest extends OnCattleRig {
    static final Instant BEFORE_CX22_ENDS = Instant.parse("2025-11-01T00:00:00Z");
    static final Instant AFTER_CX22_ENDS = Instant.parse("2026-01-01T00:00:00Z");

    final SettableClock clock = new SettableClock(Instant.now());
    CatalogCheck check;

    @AfterEach
    void close() {
        if (check != null) {
            check.close();
        }
    }

    CatalogCheck check() {
        check = CatalogCheck.create(rig.client(Duration.ofSeconds(2)), rig.config(), clock, rig.log);
        return check;
    }

    String logged() {
        return rig.logged.toString();
    }

    @Test
    void theDefaultsAreCurrentAndPassQuietly() {
        CatalogCheck catalog = check();

        catalog.checkAtStart();

        assertFalse(logged().contains("WARN"), logged());
        Health.Check health = catalog.health();
        assertTrue(health.ok(), health.toString());
        assertEquals("cx23 in nbg1, image " + HetznerSimulator.DEV_SNAPSHOT_ID + " (id " + HetznerSimulator.DEV_SNAPSHOT_ID
                + ")", health.detail().replaceFirst(" \\(checked .*", ""));
    }

    @Test
    void anUnknownTypeLocationOrImageStopsTheStartEachNamedWithTheChoicesNearIt() {
        rig.settings.serverType = "cx99";
        ConfigException type = assertThrows(ConfigException.class, () -> check().checkAtStart());
        assertEquals(1, type.problems().size(), type.problems().toString());
        String problem = type.problems().get(0);
        assertTrue(problem.startsWith("CLF_CATTLE_SERVER_TYPE: Hetzner has no server type 'cx99' (closest: cx23, cx33, "
                + "cx43); not deprecated in nbg1: cax11, "), problem);
        assertTrue(problem.contains("cx23") && !problem.contains("cx22") && problem.contains("hcloud server-type list"),
                problem);
        check.close();

        rig.settings.serverType = "cx23";
        rig.settings.location = "nbg2";
        rig.settings.image = "clf-cattle-2026-11";
        List<String> problems = assertThrows(ConfigException.class, () -> check().checkAtStart()).problems();
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("CLF_CATTLE_LOCATION: Hetzner has no location 'nbg2' (closest: nbg1"),
                problems.get(0));
        assertTrue(problems.get(1).startsWith("CLF_CATTLE_IMAGE: Hetzner has no image named 'clf-cattle-2026-11'")
                && problems.get(1).contains("refer to it by id or as label:KEY=VALUE")
                && problems.get(1).contains(HetznerSimulator.DEV_SNAPSHOT_ID + " \"clf-cattle-dev\" {role=clf-cattle}"),
                problems.get(1));
    }

    @Test
    void cx22WarnsAtStartWithItsDateAndFailsTheHealthCheckOnceThatDatePasses() {
        rig.settings.serverType = "cx22";
        clock.set(BEFORE_CX22_ENDS);
        CatalogCheck catalog = check();

        catalog.checkAtStart();

        assertTrue(logged().contains("WARN cattle.catalog-deprecated"),
                logged());
        assertTrue(logged().contains("unavailable after 2025-12-31T00:00:00"), logged());
        Health.Check before = catalog.health();
        assertTrue(before.ok(), before.toString());
        assertTrue(before.detail().contains("'cx22' is deprecated in nbg1"), before.detail());

        clock.set(AFTER_CX22_ENDS);

        Health.Check after = catalog.health();
        assertFalse(after.ok(), after.toString());
        assertTrue(after.detail().startsWith("CLF_CATTLE_SERVER_TYPE: server type 'cx22' is deprecated in nbg1 and "
                + "unavailable since 2025-12-31T00:00:00"), after.detail());
    }

    @Test
    void aDeprecationAnnouncedWhileRunningIsSeenWithinTheHourAndTurnsTheCheckRedOnItsDate() throws Exception {
        CatalogCheck catalog = check();
        catalog.checkAtStart();
        Instant started = clock.instant();
        rig.sim.deprecateServerType("cx23", started, started.plus(Duration.ofDays(30)));

        clock.advance(Duration.ofMinutes(59));
        catalog.forSpawn("", "", "");
        assertFalse(catalog.health().detail().contains("deprecated"), "read within the hour: " + catalog.health());

        clock.advance(Duration.ofMinutes(2));
        CatalogCheck.Chosen chosen = catalog.forSpawn("", "", "");
        assertEquals("cx23", chosen.serverType(), "still usable until its date");
        assertTrue(catalog.health().ok() && catalog.health().detail().contains("'cx23' is deprecated in nbg1"),
                catalog.health().toString());

        clock.advance(Duration.ofDays(31));
        assertFalse(catalog.health().ok(), catalog.health().toString());
        PermanentFailure refused = assertThrows(PermanentFailure.class, () -> catalog.forSpawn("", "", ""));
        assertTrue(refused.getMessage().startsWith("CLF_CATTLE_SERVER_TYPE: server type 'cx23' is deprecated in nbg1 "
                + "and unavailable since"), refused.getMessage());
    }

    @Test
    void aLabelImageIsTheNewestAvailableSnapshotKeptForAtMostFiveMinutes() throws Exception {
        rig.settings.image = "label:role=clf-cattle";
        CatalogCheck catalog = check();
        catalog.checkAtStart();
        assertEquals(Long.toString(HetznerSimulator.DEV_SNAPSHOT_ID), catalog.forSpawn("", "", "").image());

        long uploaded = rig.sim.addSnapshot("clf-cattle 2026-12", Map.of("role", "clf-cattle"), Instant.now());
        assertEquals(HetznerSimulator.DEV_SNAPSHOT_ID, catalog.forSpawn("", "", "").imageId(), "kept for now");

        clock.advance(Duration.ofMinutes(5));
        CatalogCheck.Chosen chosen = catalog.forSpawn("", "", "");
        assertEquals(uploaded, chosen.imageId());
        assertEquals(Long.toString(uploaded), chosen.image(), "a snapshot is created from by id");
    }

    @Test
    void aLabelThatNoSnapshotCarriesStopsTheStartListingTheSnapshots() {
        rig.settings.image = "label:role=clf-cattle-typo";

        List<String> problems = assertThrows(ConfigException.class, () -> check().checkAtStart()).problems();

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("CLF_CATTLE_IMAGE: no available snapshot carries the labels "
                + "role=clf-cattle-typo; available snapshots, newest first: " + HetznerSimulator.DEV_SNAPSHOT_ID),
                problems.get(0));
    }

    @Test
    void anUnknownImageIdStopsTheStartAndAKnownOneIsUsedAsIs() throws Exception {
        rig.settings.image = "987654321";
        List<String> problems = assertThrows(ConfigException.class, () -> check().checkAtStart()).problems();
        assertTrue(problems.get(0).startsWith("CLF_CATTLE_IMAGE: Hetzner has no image with id 987654321"),
                problems.toString());
        check.close();

        rig.settings.image = Long.toString(HetznerSimulator.DEV_SNAPSHOT_ID);
        CatalogCheck catalog = check();
        catalog.checkAtStart();
        assertEquals(rig.settings.image, catalog.forSpawn("", "", "").image());
    }

    @Test
    void overridesAreJudgedAtEnqueueOnTheCatalogAlreadyReadWithoutAskingHetzner() {
        CatalogCheck catalog = check();
        catalog.checkAtStart();
        long requests = rig.sim.exchanges().size();

        ApiException unknown = assertThrows(ApiException.class, () -> catalog.admit("cx99", "", ""));
        catalog.admit("cx33", "", "");
        catalog.admit("", "", "fsn1");
        catalog.admit("", "label:role=anything", ""); // resolved when the job runs
        ApiException notThere = assertThrows(ApiException.class, () -> catalog.admit("", "", "sin"));
        ApiException gone = assertThrows(ApiException.class, () -> catalog.admit("cx22", "", ""));
        ApiException image = assertThrows(ApiException.class, () -> catalog.admit("", "debian-99", ""));

        assertEquals(requests, rig.sim.exchanges().size(), "no request at enqueue");
        assertEquals(ErrorCode.INVALID_INPUT, unknown.code());
        assertTrue(unknown.getMessage().startsWith("payload.serverType: Hetzner has no server type 'cx99' (closest: "),
                unknown.getMessage());
        assertTrue(notThere.getMessage().startsWith("CLF_CATTLE_SERVER_TYPE: server type 'cx23' is not offered in sin"),
                notThere.getMessage());
        assertTrue(gone.getMessage().contains("payload.serverType: server type 'cx22' is deprecated in nbg1 and "
                + "unavailable since 2025-12-31"), gone.getMessage());
        assertTrue(image.getMessage().startsWith("payload.image: Hetzner has no image named 'debian-99' (closest: debian-"),
                image.getMessage());
    }

    @Test
    void anImageIdTheCatalogDoesNotListIsAskedForByIdAtEnqueueAndWhenTheJobRuns() throws Exception {
        CatalogCheck catalog = check();
        catalog.checkAtStart();
        long uploaded = rig.sim.addSnapshot("clf-cattle 2026-12", Map.of("role", "clf-cattle"), Instant.now());

        catalog.admit("", Long.toString(uploaded), "");
        ApiException unknown = assertThrows(ApiException.class, () -> catalog.admit("", "987654321", ""));
        CatalogCheck.Chosen chosen = catalog.forSpawn("", Long.toString(uploaded), "");
        PermanentFailure refused = assertThrows(PermanentFailure.class, () -> catalog.forSpawn("", "987654321", ""));

        assertTrue(unknown.getMessage().startsWith("payload.image: Hetzner has no image with id 987654321; available "
                + "snapshots, newest first: "), unknown.getMessage());
        assertEquals(Long.toString(uploaded), chosen.image());
        assertEquals(uploaded, chosen.imageId());
        assertTrue(refused.getMessage().startsWith("payload.image: Hetzner has no image with id 987654321"),
                refused.getMessage());
        assertEquals(4, rig.sim.count("GET /images/{id}"), "each unlisted id was asked for once, the catalog not re-read");
    }

    @Test
    void aBotsOverrideThatIsAllowedButUnknownIsRefusedWith400NamingTheChoices() throws Exception {
        Files.createDirectories(rig.dir.resolve("identities/rex"));
        CatalogCheck catalog = check();
        catalog.checkAtStart();
        var config = rig.config();
        config = new clf.server.internal.config.CattleConfig(config.hcloudApiUrl(), config.image(), config.serverType(),
                config.location(), config.allowedImages(), java.util.Set.of("cx99"), config.allowedLocations(),
                config.maxInstances(), config.maxPerRequester(), config.labels(), config.autoShutdown(),
                config.listenHost(), config.listenPort(), config.secretsBaseUrl(), config.bootstrapTtl(),
                config.identitiesRoot(), config.adminKeys(), config.bootTimeout(), config.statusPoll(),
                config.reapInterval(), config.tokensPath(), config.verifyPeer(),
                config.tailscaleSocket(), config.adoptLegacy(), config.tailnetJoin(), config.deleteOnFinish());
        SpawnAdmission admission = new SpawnAdmission(config, Duration.ofHours(24), catalog, null);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("identity", "rex");
        payload.put("task", Map.of("taskId", "t-1", "message", "hello"));
        payload.put("serverType", "cx99");

        ApiException refused = assertThrows(ApiException.class,
                () -> admission.check(JobKind.CATTLE_SPAWN, payload, false));

        assertEquals(ErrorCode.INVALID_INPUT, refused.code(), "allowed by CLF_CATTLE_ALLOWED_SERVER_TYPES, unknown to Hetzner");
        assertTrue(refused.getMessage().startsWith("payload.serverType: Hetzner has no server type 'cx99'"),
                refused.getMessage());
    }

    @Test
    void aSpawnWhoseOverrideHetznerDoesNotSellFailsAtOnceWithTheReasonAndMakesNothing() throws Exception {
        rig.start();
        String payload = CattleRig.spawnPayload("1h").replace("{\"identity\"", "{\"serverType\":\"cx99\",\"identity\"");

        String id = rig.enqueue(clf.queue.NewJob.of("cattle.spawn", "maren", payload).withMaxAttempts(3));
        clf.queue.Job failed = rig.awaitJob(id, job -> job.status() == clf.queue.JobStatus.FAILED);

        assertEquals(1, failed.attempt(), "not retried: retrying cannot make Hetzner sell it");
        assertTrue(failed.lastError().startsWith("payload.serverType: Hetzner has no server type 'cx99' (closest: cx23"),
                failed.lastError());
        assertEquals(0, rig.sim.count("POST /servers"));
        assertEquals(java.util.Set.of(), rig.reservations(), "no capacity held");
    }

    @Test
    void withHetznerDownEnqueueAcceptsAfterABoundedWaitAndTheRunRefusesWithTheReason() throws Exception {
        rig.sim.failNext(4, 503, "unavailable");
        CatalogCheck catalog = check();
        catalog.checkAtStart();
        assertTrue(logged().contains("cattle.catalog-unchecked"), logged());
        assertTrue(catalog.health().ok() && catalog.health().detail().startsWith("not checked yet ("),
                catalog.health().toString());

        rig.sim.setLatency(Duration.ofSeconds(10)); // Hetzner answers, too late for an enqueue
        long started = System.nanoTime();
        clock.advance(CatalogCheck.QUIET_AFTER_FAILURE);
        catalog.admit("cx99", "", "");
        assertTrue(CattleRig.millisSince(started) < 8_000, "enqueue did not wait for Hetzner's answer");

        rig.sim.setLatency(Duration.ZERO);
        clock.advance(CatalogCheck.QUIET_AFTER_FAILURE);
        PermanentFailure refused = assertThrows(PermanentFailure.class, () -> catalog.forSpawn("cx99", "", ""));
        assertTrue(refused.getMessage().startsWith("payload.serverType: Hetzner has no server type 'cx99'"),
                refused.getMessage());
    }
}
