package clf.hetzner;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The parts of a Hetzner server type that clf checks its configuration against.
 *
 * @param architecture {@code x86} or {@code arm}
 * @param locations    where the type is offered, each with its deprecation there (Hetzner's
 *                     {@code locations[]}; the type-wide {@code deprecation} field is deprecated)
 */
public record ServerType(long id, String name, String description, String architecture, int cores,
                         List<Offer> locations) {
    public ServerType {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        architecture = architecture == null ? "" : architecture;
        locations = List.copyOf(locations);
    }

    /**
     * The type as offered in one location.
     *
     * @param deprecation null when the type is not deprecated there
     */
    public record Offer(String location, Deprecation deprecation) {
        public Offer {
            Objects.requireNonNull(location, "location");
        }
    }

    /** The offer in this location; empty when the type is not sold there. */
    public Optional<Offer> offerIn(String location) {
        return locations.stream().filter(offer -> offer.location().equals(location)).findFirst();
    }
}
