package clf.server.internal.cattle.catalog;

import clf.hetzner.Deprecation;
import clf.hetzner.HetznerClient;
import clf.hetzner.Image;
import clf.hetzner.ImageFilter;
import clf.hetzner.Location;
import clf.hetzner.ServerType;
import clf.protocol.WireTime;
import clf.server.internal.cattle.catalog.CatalogFinding.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Hetzner's catalog as read at one moment: server types, locations, system and app images, and
 * the project's snapshots. It judges a chosen type, location or image without asking Hetzner
 * again; {@code field} names what the choice came from ({@code CLF_CATTLE_SERVER_TYPE},
 * {@code payload.serverType}, …) so every message says what to change.
 */
record Catalog(List<ServerType> serverTypes, List<Location> locations, List<Image> namedImages,
               List<Image> snapshots, Instant fetchedAt) {
    /** How many near names an unknown one is shown with. */
    private static final int CLOSEST = 3;
    /** How many snapshots an image message lists. */
    private static final int SNAPSHOTS_SHOWN = 5;

    Catalog {
        serverTypes = List.copyOf(serverTypes);
        locations = List.copyOf(locations);
        namedImages = List.copyOf(namedImages);
        snapshots = List.copyOf(snapshots);
        Objects.requireNonNull(fetchedAt, "fetchedAt");
    }

    /** Reads the catalog: five or so list requests. */
    static Catalog fetch(HetznerClient hetzner, Instant now) {
        List<ServerType> types = hetzner.listServerTypes();
        List<Location> locations = hetzner.listLocations();
        List<Image> named = new ArrayList<>(hetzner.listImages(new ImageFilter("system", null, null, null)));
        named.addAll(hetzner.listImages(new ImageFilter("app", null, null, null)));
        List<Image> snapshots = hetzner.listImages(new ImageFilter("snapshot", null, null, "created:desc"));
        return new Catalog(types, locations, named, snapshots, now);
    }

    CatalogFinding location(String field, String name) {
        if (locations.stream().anyMatch(location -> location.name().equals(name))) {
            return CatalogFinding.ok(field + ": location " + name);
        }
        List<String> names = locations.stream().map(Location::name).toList();
        return new CatalogFinding(Verdict.UNKNOWN, field + ": Hetzner has no location '" + name + "' (closest: "
                + String.join(", ", Closest.to(name, names, CLOSEST)) + "); locations: " + String.join(", ", names)
                + " (see `hcloud location list`)");
    }

    /** The type in this location: unknown, not offered there, deprecated there (and since when unusable), or fine. */
    CatalogFinding serverType(String field, String name, String location, Instant now) {
        Optional<ServerType> type = serverTypes.stream().filter(t -> t.name().equals(name)).findFirst();
        List<String> usable = usableIn(location);
        String choices = "; not deprecated in " + location + ": " + String.join(", ", usable)
                + " (see `hcloud server-type list`)";
        if (type.isEmpty()) {
            // The near names worth suggesting are those that can be ordered there.
            List<String> near = usable.isEmpty() ? serverTypes.stream().map(ServerType::name).toList() : usable;
            return new CatalogFinding(Verdict.UNKNOWN, field + ": Hetzner has no server type '" + name + "' (closest: "
                    + String.join(", ", Closest.to(name, near, CLOSEST)) + ")" + choices);
        }
        Optional<ServerType.Offer> offer = type.get().offerIn(location);
        if (offer.isEmpty()) {
            return new CatalogFinding(Verdict.UNKNOWN, field + ": server type '" + name + "' is not offered in " + location
                    + " (it is in: " + type.get().locations().stream().map(ServerType.Offer::location)
                    .collect(Collectors.joining(", ")) + ")" + choices);
        }
        Deprecation deprecation = offer.get().deprecation();
        if (deprecation == null) {
            return CatalogFinding.ok(field + ": server type " + name + " in " + location);
        }
        if (deprecation.unavailableAt(now)) {
            return new CatalogFinding(Verdict.UNAVAILABLE, field + ": server type '" + name + "' is deprecated in "
                    + location + " and unavailable since " + WireTime.format(deprecation.unavailableAfter())
                    + "; Hetzner refuses to create servers of it" + choices);
        }
        return new CatalogFinding(Verdict.DEPRECATED, field + ": server type '" + name + "' is deprecated in " + location
                + " (announced " + WireTime.format(deprecation.announced()) + ") and unavailable after "
                + WireTime.format(deprecation.unavailableAfter()) + "; pick another before then" + choices);
    }

    /** The types offered in this location and not deprecated there, by name. */
    List<String> usableIn(String location) {
        return serverTypes.stream()
                .filter(type -> type.offerIn(location).map(offer -> offer.deprecation() == null).orElse(false))
                .map(ServerType::name).sorted().toList();
    }

    /** A system or app image by name; empty when there is none. */
    Optional<Image> imageNamed(String name) {
        return namedImages.stream().filter(image -> name.equals(image.name())).findFirst();
    }

    /** An image listed here by id (system, app or snapshot); empty when none is. */
    Optional<Image> imageWithId(long id) {
        return Stream.concat(namedImages.stream(), snapshots.stream()).filter(image -> image.id() == id).findFirst();
    }

    /** How an unknown image name is reported: the near names, and how to refer to an uploaded image. */
    String unknownImageName(String field, String name) {
        List<String> names = namedImages.stream().map(Image::name).filter(Objects::nonNull).toList();
        return field + ": Hetzner has no image named '" + name + "' (closest: " + String.join(", ",
                Closest.to(name, names, CLOSEST)) + "); an uploaded image is a snapshot, which has no name: refer to it"
                + " by id or as label:KEY=VALUE" + snapshotChoices();
    }

    /** {@code ; snapshots: 123 "desc" {role=clf-cattle}, …}, newest first, or "" when there are none. */
    String snapshotChoices() {
        List<String> shown = snapshots.stream().filter(Image::available).limit(SNAPSHOTS_SHOWN)
                .map(image -> image.id() + " \"" + image.description() + "\" " + image.labels()).toList();
        return shown.isEmpty() ? "; the project has no available snapshots"
                : "; available snapshots, newest first: " + String.join(", ", shown);
    }
}
