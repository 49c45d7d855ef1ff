package clf.hetzner.internal.sim;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Hetzner's server types as sold at the end of 2025, after the 2025-10-16 changelog entry "server
 * types deprecated": the new cost-optimised {@code cx23}..{@code cx53}, the {@code cpx22}..
 * {@code cpx42} regular line (also in the US and Singapore), Arm {@code cax*}, dedicated
 * {@code ccx*}, and the deprecated {@code cx22}/{@code cx32} (orderable until 2025-12-31). Cores,
 * memory, disk and locations are Hetzner's; prices are the published EU net prices in EUR (rounded;
 * US and Singapore a fixed factor above), enough to look real without tracking Hetzner's price list.
 * Deprecations can change while the simulator runs ({@link #deprecate}); synchronised.
 */
final class ServerTypeCatalog {
    private static final List<String> EU = List.of("fsn1", "nbg1", "hel1");
    private static final List<String> EVERYWHERE = List.of("fsn1", "nbg1", "hel1", "ash", "hil", "sin");
    private static final Deprecation CX_GEN2 = new Deprecation(Instant.parse("2025-10-16T00:00:00Z"),
            Instant.parse("2025-12-31T00:00:00Z"));

    /** A server type; {@code monthlyEur} is the net monthly price in the EU. */
    record ServerType(long id, String name, String category, int cores, int memory, int disk, String cpuType,
                      String architecture, List<String> locations, double monthlyEur) {
        String description() {
            return name.toUpperCase(java.util.Locale.ROOT);
        }
    }

    static final List<ServerType> TYPES = List.of(
            new ServerType(104, "cx22", "cost_optimized", 2, 4, 40, "shared", "x86", EU, 3.79),
            new ServerType(105, "cx32", "cost_optimized", 4, 8, 80, "shared", "x86", EU, 6.80),
            new ServerType(114, "cx23", "cost_optimized", 2, 4, 40, "shared", "x86", EU, 2.99),
            new ServerType(115, "cx33", "cost_optimized", 4, 8, 80, "shared", "x86", EU, 4.99),
            new ServerType(116, "cx43", "cost_optimized", 8, 16, 160, "shared", "x86", EU, 8.99),
            new ServerType(117, "cx53", "cost_optimized", 16, 32, 320, "shared", "x86", EU, 16.99),
            new ServerType(108, "cpx22", "regular_purpose", 2, 4, 80, "shared", "x86", EVERYWHERE, 5.99),
            new ServerType(109, "cpx32", "regular_purpose", 4, 8, 160, "shared", "x86", EVERYWHERE, 10.49),
            new ServerType(110, "cpx42", "regular_purpose", 8, 16, 320, "shared", "x86", EVERYWHERE, 19.49),
            new ServerType(45, "cax11", "cost_optimized", 2, 4, 40, "shared", "arm", EU, 3.79),
            new ServerType(93, "cax21", "cost_optimized", 4, 8, 80, "shared", "arm", EU, 6.49),
            new ServerType(94, "cax31", "cost_optimized", 8, 16, 160, "shared", "arm", EU, 12.49),
            new ServerType(95, "cax41", "cost_optimized", 16, 32, 320, "shared", "arm", EU, 24.49),
            new ServerType(96, "ccx13", "general_purpose", 2, 8, 80, "dedicated", "x86", EVERYWHERE, 12.49),
            new ServerType(97, "ccx23", "general_purpose", 4, 16, 160, "dedicated", "x86", EVERYWHERE, 24.49));

    private final Map<String, Deprecation> deprecations = new HashMap<>(Map.of("cx22", CX_GEN2, "cx32", CX_GEN2));

    static Optional<ServerType> byName(String name) {
        return TYPES.stream().filter(type -> type.name().equals(name)).findFirst();
    }

    static Optional<ServerType> byId(long id) {
        return TYPES.stream().filter(type -> type.id() == id).findFirst();
    }

    static Optional<ServerType> byReference(String reference) {
        return Reference.isId(reference) ? byId(Long.parseLong(reference)) : byName(reference);
    }

    /** The type's deprecation (the same in every location it is sold in), or {@code null}. */
    synchronized Deprecation deprecation(String name) {
        return deprecations.get(name);
    }

    synchronized void deprecate(String name, Deprecation deprecation) {
        if (byName(name).isEmpty()) {
            throw new IllegalArgumentException("no server type '" + name + "' in the simulator's catalog");
        }
        deprecations.put(name, deprecation);
    }
}
