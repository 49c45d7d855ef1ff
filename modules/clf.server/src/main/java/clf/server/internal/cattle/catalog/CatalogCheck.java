package clf.server.internal.cattle.catalog;

import clf.hetzner.HetznerClient;
import clf.hetzner.HetznerException;
import clf.hetzner.Image;
import clf.protocol.ApiException;
import clf.protocol.ErrorCode;
import clf.protocol.Health;
import clf.protocol.WireTime;
import clf.server.internal.config.CattleConfig;
import clf.server.internal.config.ConfigException;
import clf.server.internal.config.ImageRef;
import clf.server.internal.log.Log;
import clf.server.internal.worker.PermanentFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Checks the configured server type, image and location, and a spawn's overrides, against
 * Hetzner's catalog (issue 16: fail early).
 *
 * <ul>
 * <li>At start: an unknown choice stops the daemon ({@link ConfigException}, exit 1) with the
 *     choices near it; a deprecated one is a WARN with its {@code unavailable_after} date. When
 *     Hetzner cannot be asked, the start goes on (a WARN) and the next spawn checks.</li>
 * <li>Before each spawn, when the last check is older than {@link #RECHECK}: checked again; an
 *     unusable choice fails the job permanently, naming it.</li>
 * <li>At enqueue ({@link #admit}): overrides are judged against the catalog already read, so
 *     enqueue never waits on Hetzner for more than {@link #ADMIT_WAIT}. When the catalog is
 *     unknown (Hetzner down since start) the job is accepted and the run-time check decides;
 *     an image id the catalog does not list is asked for by id, within the same wait (it may be
 *     a snapshot uploaded since).</li>
 * <li>{@link #health}: the {@code hetznerCatalog} check fails while a configured choice is
 *     unknown, or deprecated and past its date; it is computed from what was read, on the
 *     clock, so the date passing turns it red without a request.</li>
 * </ul>
 */
public final class CatalogCheck implements AutoCloseable {
    static final Duration RECHECK = Duration.ofHours(1);
    static final Duration ADMIT_FRESH = ImageResolver.TTL;
    static final Duration ADMIT_WAIT = Duration.ofSeconds(2);
    /** After a failed read, neither enqueues nor spawns ask again for this long. */
    static final Duration QUIET_AFTER_FAILURE = Duration.ofSeconds(30);

    static final String TYPE_VARIABLE = "CLF_CATTLE_SERVER_TYPE";
    static final String IMAGE_VARIABLE = "CLF_CATTLE_IMAGE";
    static final String LOCATION_VARIABLE = "CLF_CATTLE_LOCATION";

    private final HetznerClient hetzner;
    private final CattleConfig config;
    private final ImageRef configuredImage;
    private final ImageResolver images;
    private final Clock clock;
    private final Log log;
    private final Object refreshLock = new Object();
    private final ExecutorService refresher = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "clf-catalog");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Snapshot latest;
    private volatile Instant lastFailureAt;
    private volatile String lastError = "not asked yet";
    private Future<?> inFlight; // guarded by this

    /** The catalog and what it said about the configured image (which may need a request of its own). */
    private record Snapshot(Catalog catalog, CatalogFinding image, long imageId) {
    }

    /** What a spawn creates its server with. {@code image} is what is sent: a name or an id. */
    public record Chosen(String serverType, String image, long imageId, String location) {
    }

    CatalogCheck(HetznerClient hetzner, CattleConfig config, ImageResolver images, Clock clock, Log log) {
        this.hetzner = hetzner;
        this.config = config;
        this.configuredImage = ImageRef.parse(config.image());
        this.images = images;
        this.clock = clock;
        this.log = log;
    }

    public static CatalogCheck create(HetznerClient hetzner, CattleConfig config, Clock clock, Log log) {
        return new CatalogCheck(hetzner, config, new ImageResolver(hetzner, clock), clock, log);
    }

    // ---- start ---------------------------------------------------------------------------------

    /**
     * The start-up check. Throws {@link ConfigException} naming every unknown choice; logs a WARN
     * for each deprecated one.
     *
     * @return whether Hetzner answered (false: a WARN says the check waits for the first spawn)
     */
    public boolean checkAtStart() {
        Snapshot snapshot;
        try {
            snapshot = refresh();
        } catch (HetznerException e) {
            log.warn("cattle.catalog-unchecked", "error", e.getMessage(), "effect",
                    "server type, image and location are checked before the first spawn instead");
            return false;
        }
        List<String> unknown = new ArrayList<>();
        for (CatalogFinding finding : configured(snapshot, clock.instant())) {
            switch (finding.verdict()) {
                case UNKNOWN -> unknown.add(finding.message());
                case DEPRECATED, UNAVAILABLE -> log.warn("cattle.catalog-deprecated", "problem", finding.message());
                case OK -> { }
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigException(unknown);
        }
        log.info("cattle.catalog-checked", "server_type", config.serverType(), "image", configuredImage.text(),
                "image_id", snapshot.imageId(), "location", config.location());
        return true;
    }

    // ---- spawn ---------------------------------------------------------------------------------

    /**
     * The server type, image and location a spawn uses, checked; the catalog is read again first
     * when the last read is older than {@link #RECHECK}. A {@code label:} image is resolved here
     * (kept for at most five minutes).
     *
     * @throws PermanentFailure when a choice cannot be used; retrying would not change that
     */
    public Chosen forSpawn(String typeOverride, String imageOverride, String locationOverride) throws PermanentFailure {
        Snapshot snapshot = latest;
        Instant now = clock.instant();
        Instant failedAt = lastFailureAt;
        boolean quiet = failedAt != null && now.isBefore(failedAt.plus(QUIET_AFTER_FAILURE)) && !now.isBefore(failedAt);
        if ((snapshot == null || !now.isBefore(snapshot.catalog().fetchedAt().plus(RECHECK))) && !quiet) {
            try {
                snapshot = refresh();
            } catch (HetznerException e) {
                // Judged on the older read, if any; the create itself fails if Hetzner still cannot be reached.
                log.warn("cattle.catalog-unchecked", "error", e.getMessage());
            }
        }
        String type = orDefault(typeOverride, config.serverType());
        String location = orDefault(locationOverride, config.location());
        boolean ownImage = imageOverride == null || imageOverride.isEmpty();
        ImageRef image = ownImage ? configuredImage : parseOverride(imageOverride);
        List<String> problems = new ArrayList<>();
        if (snapshot != null) {
            Catalog catalog = snapshot.catalog();
            CatalogFinding where = catalog.location(field(locationOverride, LOCATION_VARIABLE, "location"), location);
            if (where.unusable()) {
                problems.add(where.message());
            } else {
                CatalogFinding what = catalog.serverType(field(typeOverride, TYPE_VARIABLE, "serverType"), type, location,
                        now);
                if (what.unusable()) {
                    problems.add(what.message());
                }
            }
        }
        String imageField = field(imageOverride, IMAGE_VARIABLE, "image");
        String send = image.text();
        long imageId = 0;
        if (image instanceof ImageRef.ByLabels labels) {
            Optional<Image> newest = images.newest(labels.selector());
            if (newest.isEmpty()) {
                problems.add(noSnapshot(imageField, labels, snapshot));
            } else {
                imageId = newest.get().id();
                send = Long.toString(imageId);
            }
        } else if (ownImage && snapshot != null) {
            if (snapshot.image().unusable()) {
                problems.add(snapshot.image().message());
            }
            imageId = snapshot.imageId();
        } else if (image instanceof ImageRef.ById byId) {
            // Asked by id when the catalog does not list it: it may have been uploaded since.
            Optional<Image> found = snapshot == null ? hetzner.getImage(byId.id())
                    : snapshot.catalog().imageWithId(byId.id()).or(() -> hetzner.getImage(byId.id()));
            Catalog catalog = snapshot == null ? null : snapshot.catalog();
            CatalogFinding finding = judgeImage(imageField, found, byId, catalog);
            if (finding.unusable()) {
                problems.add(finding.message());
            }
            imageId = byId.id();
        } else if (snapshot != null) {
            CatalogFinding finding = judgeImage(imageField, image, snapshot.catalog());
            if (finding.unusable()) {
                problems.add(finding.message());
            }
        }
        if (!problems.isEmpty()) {
            throw new PermanentFailure(String.join("; and ", problems));
        }
        return new Chosen(type, send, imageId, location);
    }

    // ---- enqueue -------------------------------------------------------------------------------

    /**
     * Refuses (400, naming the field and the choices) a spawn whose overrides Hetzner does not
     * offer, judged on the catalog read at most {@link #ADMIT_FRESH} ago (else read again, waiting
     * at most {@link #ADMIT_WAIT}). Accepts when no catalog could be read: the run decides.
     */
    public void admit(String typeOverride, String imageOverride, String locationOverride) {
        boolean anyOverride = !typeOverride.isEmpty() || !imageOverride.isEmpty() || !locationOverride.isEmpty();
        if (!anyOverride) {
            return;
        }
        ImageRef image = imageOverride.isEmpty() ? null : ImageRef.parse(imageOverride); // shape checked by the caller
        Snapshot snapshot = snapshotForAdmission();
        if (snapshot == null) {
            return;
        }
        Catalog catalog = snapshot.catalog();
        Instant now = clock.instant();
        String location = orDefault(locationOverride, config.location());
        List<String> problems = new ArrayList<>();
        CatalogFinding where = catalog.location(field(locationOverride, LOCATION_VARIABLE, "location"), location);
        if (!locationOverride.isEmpty() && where.unusable()) {
            problems.add(where.message());
        }
        if (where.verdict() == CatalogFinding.Verdict.OK && (!typeOverride.isEmpty() || !locationOverride.isEmpty())) {
            CatalogFinding what = catalog.serverType(field(typeOverride, TYPE_VARIABLE, "serverType"),
                    orDefault(typeOverride, config.serverType()), location, now);
            if (what.unusable()) {
                problems.add(what.message());
            }
        }
        if (image instanceof ImageRef.ByName) {
            CatalogFinding finding = judgeImage("payload.image", image, catalog);
            if (finding.unusable()) {
                problems.add(finding.message());
            }
        } else if (image instanceof ImageRef.ById byId) {
            // Snapshots come and go faster than the catalog is read: one not listed is asked for by id.
            Optional<Image> listed = catalog.imageWithId(byId.id());
            Optional<Optional<Image>> found = listed.isPresent() ? Optional.of(listed)
                    : lookUpWithin(byId.id(), ADMIT_WAIT);
            if (found.isPresent()) {
                CatalogFinding finding = judgeImage("payload.image", found.get(), byId, catalog);
                if (finding.unusable()) {
                    problems.add(finding.message());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ApiException(ErrorCode.INVALID_INPUT, String.join("; and ", problems));
        }
    }

    private Snapshot snapshotForAdmission() {
        Snapshot snapshot = latest;
        Instant now = clock.instant();
        if (snapshot != null && now.isBefore(snapshot.catalog().fetchedAt().plus(ADMIT_FRESH))) {
            return snapshot;
        }
        Instant failedAt = lastFailureAt;
        if (failedAt != null && now.isBefore(failedAt.plus(QUIET_AFTER_FAILURE))) {
            return snapshot;
        }
        try {
            refreshInBackground().get(ADMIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // Judged on what was read before, if anything.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return latest;
    }

    /** The image with this id as Hetzner answers within {@code wait}; empty when it did not answer in time. */
    private Optional<Optional<Image>> lookUpWithin(long id, Duration wait) {
        Future<Optional<Image>> lookup = refresher.submit(() -> hetzner.getImage(id));
        try {
            return Optional.of(lookup.get(wait.toMillis(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException | TimeoutException e) {
            lookup.cancel(true);
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private synchronized Future<?> refreshInBackground() {
        if (inFlight == null || inFlight.isDone()) {
            inFlight = refresher.submit(this::refresh);
        }
        return inFlight;
    }

    // ---- health --------------------------------------------------------------------------------

    /** The {@code hetznerCatalog} health check: no request, the last read judged at the clock's now. */
    public Health.Check health() {
        Snapshot snapshot = latest;
        if (snapshot == null) {
            return Health.Check.well("not checked yet (" + lastError + "); checked before the next spawn");
        }
        List<CatalogFinding> findings = configured(snapshot, clock.instant());
        List<String> failing = findings.stream().filter(CatalogFinding::unusable).map(CatalogFinding::message).toList();
        String checked = " (checked " + WireTime.format(snapshot.catalog().fetchedAt()) + ")";
        if (!failing.isEmpty()) {
            return Health.Check.failing(String.join("; and ", failing) + checked);
        }
        List<String> deprecated = findings.stream().filter(f -> f.verdict() == CatalogFinding.Verdict.DEPRECATED)
                .map(CatalogFinding::message).toList();
        if (!deprecated.isEmpty()) {
            return Health.Check.well(String.join("; and ", deprecated) + checked);
        }
        return Health.Check.well(config.serverType() + " in " + config.location() + ", image " + configuredImage.text()
                + (snapshot.imageId() > 0 ? " (id " + snapshot.imageId() + ")" : "") + checked);
    }

    @Override
    public void close() {
        refresher.shutdownNow();
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** Reads the catalog and judges the configured image; one refresh at a time. */
    private Snapshot refresh() {
        synchronized (refreshLock) {
            try {
                Instant now = clock.instant();
                Catalog catalog = Catalog.fetch(hetzner, now);
                long imageId = 0;
                CatalogFinding image;
                if (configuredImage instanceof ImageRef.ByLabels labels) {
                    Optional<Image> newest = images.newest(labels.selector());
                    image = newest.isEmpty() ? new CatalogFinding(CatalogFinding.Verdict.UNKNOWN,
                            noSnapshotMessage(IMAGE_VARIABLE, labels, catalog))
                            : CatalogFinding.ok(IMAGE_VARIABLE + ": snapshot " + newest.get().id());
                    imageId = newest.map(Image::id).orElse(0L);
                } else if (configuredImage instanceof ImageRef.ById byId) {
                    Optional<Image> found = catalog.imageWithId(byId.id()).or(() -> hetzner.getImage(byId.id()));
                    image = judgeImage(IMAGE_VARIABLE, found, byId, catalog);
                    imageId = byId.id();
                } else {
                    image = judgeImage(IMAGE_VARIABLE, configuredImage, catalog);
                    imageId = catalog.imageNamed(((ImageRef.ByName) configuredImage).name()).map(Image::id).orElse(0L);
                }
                Snapshot snapshot = new Snapshot(catalog, image, imageId);
                latest = snapshot;
                lastFailureAt = null;
                return snapshot;
            } catch (HetznerException e) {
                lastFailureAt = clock.instant();
                lastError = e.getMessage();
                throw e;
            }
        }
    }

    /** The configured type, location and image as the snapshot judges them at {@code now}. */
    private List<CatalogFinding> configured(Snapshot snapshot, Instant now) {
        Catalog catalog = snapshot.catalog();
        List<CatalogFinding> findings = new ArrayList<>();
        CatalogFinding location = catalog.location(LOCATION_VARIABLE, config.location());
        findings.add(location);
        if (!location.unusable()) {
            findings.add(catalog.serverType(TYPE_VARIABLE, config.serverType(), config.location(), now));
        }
        findings.add(snapshot.image());
        return findings;
    }

    /** An image by name or id, judged on the catalog's lists alone. */
    private static CatalogFinding judgeImage(String field, ImageRef image, Catalog catalog) {
        if (image instanceof ImageRef.ById byId) {
            return judgeImage(field, catalog.imageWithId(byId.id()), image, catalog);
        }
        String name = ((ImageRef.ByName) image).name();
        Optional<Image> found = catalog.imageNamed(name);
        if (found.isEmpty()) {
            return new CatalogFinding(CatalogFinding.Verdict.UNKNOWN, catalog.unknownImageName(field, name));
        }
        return judgeImage(field, found, image, catalog);
    }

    /** @param catalog for the snapshots to suggest; null when none was read */
    private static CatalogFinding judgeImage(String field, Optional<Image> found, ImageRef image, Catalog catalog) {
        String choices = catalog == null ? "" : catalog.snapshotChoices();
        if (found.isEmpty()) {
            return new CatalogFinding(CatalogFinding.Verdict.UNKNOWN, field + ": Hetzner has no image with id "
                    + image.text() + choices);
        }
        Image listed = found.get();
        if (!listed.available()) {
            return new CatalogFinding(CatalogFinding.Verdict.UNKNOWN, field + ": image " + image.text() + " is "
                    + listed.status() + ", not available" + choices);
        }
        if (listed.deprecated() != null) {
            return new CatalogFinding(CatalogFinding.Verdict.DEPRECATED, field + ": image " + image.text()
                    + " is deprecated since " + WireTime.format(listed.deprecated()) + "; Hetzner will remove it");
        }
        return CatalogFinding.ok(field + ": image " + image.text());
    }

    private static String noSnapshot(String field, ImageRef.ByLabels labels, Snapshot snapshot) {
        return snapshot == null ? field + ": no available snapshot carries the labels " + labels.selector()
                : noSnapshotMessage(field, labels, snapshot.catalog());
    }

    private static String noSnapshotMessage(String field, ImageRef.ByLabels labels, Catalog catalog) {
        return field + ": no available snapshot carries the labels " + labels.selector() + catalog.snapshotChoices()
                + " (upload one with those labels, see the README)";
    }

    private static ImageRef parseOverride(String raw) throws PermanentFailure {
        try {
            return ImageRef.parse(raw);
        } catch (IllegalArgumentException e) {
            throw new PermanentFailure("payload.image: " + e.getMessage());
        }
    }

    /** The payload field when the spawn overrides the value, else the variable it came from. */
    private static String field(String override, String variable, String payloadField) {
        return override == null || override.isEmpty() ? variable : "payload." + payloadField;
    }

    private static String orDefault(String override, String configured) {
        return override == null || override.isEmpty() ? configured : override;
    }
}
