package clf.hetzner.internal.sim;

import java.util.List;
import java.util.Optional;

/**
 * Hetzner's public locations and their data centers, with the API's real ids and names. The
 * server-type and image catalogues live in {@link ServerTypeCatalog} and {@link ImageCatalog}
 * because they change while a simulator runs (deprecations, snapshots).
 */
final class SimCatalog {
    record Location(long id, String name, String description, String country, String city, double latitude,
                    double longitude, String networkZone, long datacenterId, String datacenterName,
                    String datacenterDescription) {
        /** Included traffic per month in bytes: 20 TB in the EU, 1 TB in the US, 0.5 TB in Singapore. */
        long includedTraffic() {
            return switch (networkZone) {
                case "eu-central" -> 20 * TB;
                case "ap-southeast" -> TB / 2;
                default -> TB;
            };
        }
    }

    static final String DEFAULT_LOCATION = "fsn1";
    private static final long TB = 1L << 40;

    static final List<Location> LOCATIONS = List.of(
            new Location(1, "fsn1", "Falkenstein DC Park 1", "DE", "Falkenstein", 50.47612, 12.370071, "eu-central", 4, "fsn1-dc14",
                    "Falkenstein 1 virtual DC 14"),
            new Location(2, "nbg1", "Nuremberg DC Park 1", "DE", "Nuremberg", 49.452102, 11.076665, "eu-central", 2, "nbg1-dc3",
                    "Nuremberg 1 virtual DC 3"),
            new Location(3, "hel1", "Helsinki DC Park 1", "FI", "Helsinki", 60.169855, 24.938379, "eu-central", 3, "hel1-dc2",
                    "Helsinki 1 virtual DC 2"),
            new Location(4, "ash", "Ashburn, VA", "US", "Ashburn, VA", 39.045821, -77.487073, "us-east", 5, "ash-dc1",
                    "Ashburn virtual DC 1"),
            new Location(5, "hil", "Hillsboro, OR", "US", "Hillsboro, OR", 45.54222, -122.95194, "us-west", 6, "hil-dc1",
                    "Hillsboro virtual DC 1"),
            new Location(6, "sin", "Singapore", "SG", "Singapore", 1.283333, 103.833333, "ap-southeast", 7, "sin-dc1",
                    "Singapore virtual DC 1"));

    private SimCatalog() {
    }

    static Optional<Location> location(String name) {
        return LOCATIONS.stream().filter(location -> location.name().equals(name)).findFirst();
    }

    static Optional<Location> locationById(long id) {
        return LOCATIONS.stream().filter(location -> location.id() == id).findFirst();
    }

    /** A location as the API's create body names it: {@code "ID or name"} (the OpenAPI file's words). */
    static Optional<Location> locationByReference(String reference) {
        return Reference.isId(reference) ? locationById(Long.parseLong(reference)) : location(reference);
    }

    static Optional<Location> datacenterById(long id) {
        return LOCATIONS.stream().filter(location -> location.datacenterId() == id).findFirst();
    }

    static Optional<Location> datacenterByReference(String reference) {
        return Reference.isId(reference) ? datacenterById(Long.parseLong(reference))
                : LOCATIONS.stream().filter(location -> location.datacenterName().equals(reference)).findFirst();
    }
}
