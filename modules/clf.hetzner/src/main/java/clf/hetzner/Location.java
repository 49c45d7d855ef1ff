package clf.hetzner;

import java.util.Objects;

/** A Hetzner location ({@code fsn1}, {@code nbg1}, …) as clf names it to operators. */
public record Location(long id, String name, String description, String city, String country) {
    public Location {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        city = city == null ? "" : city;
        country = country == null ? "" : country;
    }
}
