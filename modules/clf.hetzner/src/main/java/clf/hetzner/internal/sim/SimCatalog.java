package clf.hetzner.internal.sim;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The locations the simulator knows (Hetzner's public ones). Server types and images are not
 * catalogued: any name is accepted and described generically, because clf picks them from
 * configuration and the simulator should not have to track Hetzner's product list.
 */
final class SimCatalog {
    record Location(long id, String name, String description, String country, String city, double latitude,
                    double longitude, String networkZone, long datacenterId, String datacenterName) {
    }

    static final String DEFAULT_LOCATION = "fsn1";

    private static final Map<String, Location> LOCATIONS = List.of(
            new Location(1, "fsn1", "Falkenstein DC Park 1", "DE", "Falkenstein", 50.47612, 12.370071, "eu-central", 4, "fsn1-dc14"),
            new Location(2, "nbg1", "Nuremberg DC Park 1", "DE", "Nuremberg", 49.452102, 11.076665, "eu-central", 2, "nbg1-dc3"),
            new Location(3, "hel1", "Helsinki DC Park 1", "FI", "Helsinki", 60.169855, 24.938379, "eu-central", 3, "hel1-dc2"),
            new Location(4, "ash", "Ashburn, VA", "US", "Ashburn, VA", 39.045821, -77.487073, "us-east", 5, "ash-dc1"),
            new Location(5, "hil", "Hillsboro, OR", "US", "Hillsboro, OR", 45.54222, -122.95194, "us-west", 6, "hil-dc1"),
            new Location(6, "sin", "Singapore", "SG", "Singapore", 1.283333, 103.833333, "ap-southeast", 7, "sin-dc1"))
            .stream().collect(Collectors.toUnmodifiableMap(Location::name, Function.identity()));

    private SimCatalog() {
    }

    static Optional<Location> location(String name) {
        return Optional.ofNullable(LOCATIONS.get(name));
    }

    /** A stable small id for a catalogue-free name (server types, images). */
    static long idOf(String name) {
        return 1 + Math.floorMod(name.hashCode(), 100_000);
    }
}
