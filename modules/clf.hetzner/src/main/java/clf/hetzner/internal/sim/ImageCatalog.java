package clf.hetzner.internal.sim;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The images a simulated project sees: Hetzner's system images (one per architecture, sharing a
 * name, as on the real API) and the project's snapshots, whose {@code name} is null (only system
 * images have one: OpenAPI file, {@code image.name}). Every simulator starts with one snapshot,
 * {@value #DEV_SNAPSHOT_DESCRIPTION} labelled {@code role=clf-cattle}, for dev mode. Synchronised.
 */
public final class ImageCatalog {
    /** The id of the snapshot every simulator starts with; the first snapshot id handed out. */
    public static final long DEV_SNAPSHOT_ID = 320_000_001L;
    public static final String DEV_SNAPSHOT_DESCRIPTION = "clf-cattle-dev";

    /** One image. {@code name} is null for snapshots; {@code labels} only snapshots carry. */
    record Image(long id, String type, String name, String description, String osFlavor, String osVersion,
                 String architecture, Instant created, Map<String, String> labels, Double imageSize, int diskSize) {
        boolean snapshot() {
            return "snapshot".equals(type);
        }
    }

    private static final List<Image> SYSTEM = List.of(
            system(161547269, "ubuntu-24.04", "Ubuntu 24.04", "x86", "2024-04-25T00:00:00Z"),
            system(161547270, "ubuntu-24.04", "Ubuntu 24.04", "arm", "2024-04-25T00:00:00Z"),
            system(67794396, "ubuntu-22.04", "Ubuntu 22.04", "x86", "2022-04-21T00:00:00Z"),
            system(103908130, "ubuntu-22.04", "Ubuntu 22.04", "arm", "2023-04-12T00:00:00Z"),
            system(114690387, "debian-12", "Debian 12", "x86", "2023-06-13T00:00:00Z"),
            system(114690389, "debian-12", "Debian 12", "arm", "2023-06-13T00:00:00Z"),
            system(310557660, "debian-13", "Debian 13", "x86", "2025-08-12T00:00:00Z"),
            system(310557661, "debian-13", "Debian 13", "arm", "2025-08-12T00:00:00Z"),
            system(76766499, "rocky-9", "Rocky Linux 9", "x86", "2022-07-14T00:00:00Z"),
            system(76766511, "alma-9", "Alma Linux 9", "x86", "2022-07-14T00:00:00Z"));

    private final List<Image> snapshots = new ArrayList<>();
    private long nextSnapshotId = DEV_SNAPSHOT_ID;

    ImageCatalog(Instant started) {
        addSnapshot(DEV_SNAPSHOT_DESCRIPTION, Map.of("role", "clf-cattle"), started);
    }

    private static Image system(long id, String name, String description, String architecture, String created) {
        String flavor = name.substring(0, name.indexOf('-'));
        return new Image(id, "system", name, description, flavor, name.substring(name.indexOf('-') + 1), architecture,
                Instant.parse(created), Map.of(), null, 5);
    }

    /** A snapshot as {@code hcloud-upload-image} leaves one: x86, from a 40 GB disk, status available. */
    synchronized long addSnapshot(String description, Map<String, String> labels, Instant created) {
        long id = nextSnapshotId++;
        snapshots.add(new Image(id, "snapshot", null, description, "unknown", null, "x86",
                created.truncatedTo(java.time.temporal.ChronoUnit.SECONDS), Map.copyOf(labels), 0.62, 40));
        return id;
    }

    synchronized List<Image> all() {
        List<Image> all = new ArrayList<>(SYSTEM);
        all.addAll(snapshots);
        return all;
    }

    synchronized Optional<Image> byId(long id) {
        return all().stream().filter(image -> image.id() == id).findFirst();
    }

    /**
     * The image a create body's {@code image} names: an id, or a system image's name, of which the
     * API picks the one built for the server type's architecture.
     */
    synchronized Optional<Image> byReference(String reference, String architecture) {
        if (Reference.isId(reference)) {
            return byId(Long.parseLong(reference));
        }
        return SYSTEM.stream()
                .filter(image -> image.name().equals(reference) && image.architecture().equals(architecture))
                .findFirst();
    }
}
