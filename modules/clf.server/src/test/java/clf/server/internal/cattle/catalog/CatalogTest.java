package clf.server.internal.cattle.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.hetzner.Deprecation;
import clf.hetzner.Image;
import clf.hetzner.Location;
import clf.hetzner.ServerType;
import clf.server.internal.cattle.catalog.CatalogFinding.Verdict;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a catalog read judges a chosen server type, location and image, and what it tells the operator. */
class CatalogTest {
    static final Instant ANNOUNCED = Instant.parse("2025-10-16T00:00:00Z");
    static final Instant UNAVAILABLE = Instant.parse("2025-12-31T00:00:00Z");
    static final Deprecation CX22_GOING = new Deprecation(ANNOUNCED, UNAVAILABLE);

    final Catalog catalog = new Catalog(
            List.of(type(1, "cx22", offer("nbg1", CX22_GOING), offer("fsn1", CX22_GOING)),
                    type(2, "cx23", offer("nbg1", null), offer("fsn1", null)),
                    type(3, "cpx22", offer("nbg1", null)),
                    type(4, "ccx13", offer("fsn1", null))),
            List.of(new Location(1, "fsn1", "Falkenstein DC Park 1", "Falkenstein", "DE"),
                    new Location(2, "nbg1", "Nuremberg DC Park 1", "Nuremberg", "DE")),
            List.of(image(67794396, "system", "ubuntu-24.04", Map.of())),
            List.of(image(900, "snapshot", null, Map.of("role", "clf-cattle"))),
            Instant.parse("2026-01-01T00:00:00Z"));

    static ServerType type(long id, String name, ServerType.Offer... offers) {
        return new ServerType(id, name, name.toUpperCase(), "x86", 2, List.of(offers));
    }

    static ServerType.Offer offer(String location, Deprecation deprecation) {
        return new ServerType.Offer(location, deprecation);
    }

    static Image image(long id, String type, String name, Map<String, String> labels) {
        return new Image(id, type, "available", name, "clf-cattle-dev", labels, Instant.parse("2025-06-01T00:00:00Z"),
                "x86", null);
    }

    @Test
    void anUnknownTypeIsNamedWithTheNearestNamesAndWhatIsOfferedThere() {
        CatalogFinding finding = catalog.serverType("CLF_CATTLE_SERVER_TYPE", "cx32", "nbg1", ANNOUNCED);

        assertEquals(Verdict.UNKNOWN, finding.verdict());
        assertEquals("CLF_CATTLE_SERVER_TYPE: Hetzner has no server type 'cx32' (closest: cpx22, cx23); "
                + "not deprecated in nbg1: cpx22, cx23 (see `hcloud server-type list`)", finding.message());
    }

    @Test
    void aTypeNotSoldInTheLocationIsUnknownThere() {
        CatalogFinding finding = catalog.serverType("payload.serverType", "ccx13", "nbg1", ANNOUNCED);

        assertEquals(Verdict.UNKNOWN, finding.verdict());
        assertTrue(finding.message().startsWith("payload.serverType: server type 'ccx13' is not offered in nbg1 "
                + "(it is in: fsn1); not deprecated in nbg1: cpx22, cx23"), finding.message());
    }

    @Test
    void aDeprecatedTypeIsAWarningUntilItsDateAndUnusableFromThen() {
        CatalogFinding before = catalog.serverType("CLF_CATTLE_SERVER_TYPE", "cx22", "nbg1", UNAVAILABLE.minusSeconds(1));
        CatalogFinding at = catalog.serverType("CLF_CATTLE_SERVER_TYPE", "cx22", "nbg1", UNAVAILABLE);

        assertEquals(Verdict.DEPRECATED, before.verdict());
        assertTrue(before.message().contains("'cx22' is deprecated in nbg1 (announced 2025-10-16T00:00:00")
                && before.message().contains("unavailable after 2025-12-31T00:00:00"), before.message());
        assertEquals(Verdict.UNAVAILABLE, at.verdict());
        assertTrue(at.unusable());
        assertTrue(at.message().contains("unavailable since 2025-12-31T00:00:00")
                && at.message().contains("not deprecated in nbg1: cpx22, cx23"), at.message());
    }

    @Test
    void aCurrentTypeInItsLocationIsFine() {
        assertEquals(Verdict.OK, catalog.serverType("CLF_CATTLE_SERVER_TYPE", "cx23", "nbg1", UNAVAILABLE).verdict());
    }

    @Test
    void anUnknownLocationListsTheLocations() {
        CatalogFinding finding = catalog.location("CLF_CATTLE_LOCATION", "nbg2");

        assertEquals(Verdict.UNKNOWN, finding.verdict());
        assertEquals("CLF_CATTLE_LOCATION: Hetzner has no location 'nbg2' (closest: nbg1, fsn1, ); locations: fsn1, nbg1"
                .replace(", )", ")"), finding.message().replace(" (see `hcloud location list`)", ""));
    }

    @Test
    void anUnknownImageNameSaysHowToReferToAnUploadedSnapshot() {
        String message = catalog.unknownImageName("CLF_CATTLE_IMAGE", "clf-cattle-2026-11");

        assertTrue(message.startsWith("CLF_CATTLE_IMAGE: Hetzner has no image named 'clf-cattle-2026-11' (closest: "
                + "ubuntu-24.04); an uploaded image is a snapshot, which has no name: refer to it by id or as "
                + "label:KEY=VALUE; available snapshots, newest first: 900 \"clf-cattle-dev\" {role=clf-cattle}"),
                message);
    }
}
