package clf.hetzner;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One rule of a Hetzner firewall ({@code rule} in the API). Blank optional fields become
 * {@code null} or empty lists here, so that "absent" and "empty" compare equal (spec §3.9).
 *
 * @param port           a port or range such as {@code 41641} or {@code 1024-5000}; only for tcp/udp
 * @param sourceIps      CIDR blocks, for direction {@code in}
 * @param destinationIps CIDR blocks, for direction {@code out}
 */
public record FirewallRule(Direction direction, Protocol protocol, String port, List<String> sourceIps,
                           List<String> destinationIps, String description) {

    public enum Direction {
        IN, OUT;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Direction fromWire(String value) {
            return valueOf(Objects.requireNonNull(value, "direction").toUpperCase(Locale.ROOT));
        }
    }

    public enum Protocol {
        TCP, UDP, ICMP, ESP, GRE;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Protocol fromWire(String value) {
            return valueOf(Objects.requireNonNull(value, "protocol").toUpperCase(Locale.ROOT));
        }
    }

    public FirewallRule {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(protocol, "protocol");
        port = port == null || port.isBlank() ? null : port.trim();
        sourceIps = sourceIps == null ? List.of() : List.copyOf(sourceIps);
        destinationIps = destinationIps == null ? List.of() : List.copyOf(destinationIps);
        description = description == null || description.isBlank() ? null : description;
    }

    /** An inbound rule, the only kind clf's base firewall has. */
    public static FirewallRule inbound(Protocol protocol, String port, List<String> sourceIps, String description) {
        return new FirewallRule(Direction.IN, protocol, port, sourceIps, List.of(), description);
    }
}
