package clf.hetzner.internal.sim;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Server types, images, locations and data centers as JSON-ready maps, every required field
 * present as in the OpenAPI file's schemas (tests validate them). Prices are decimal strings with
 * ten places, net and gross (19 % German VAT), as the API sends them.
 */
final class CatalogRender {
    private static final BigDecimal VAT = new BigDecimal("1.19");
    private static final BigDecimal HOURS_PER_MONTH = new BigDecimal("624");

    private CatalogRender() {
    }

    static Map<String, Object> serverType(ServerTypeCatalog.ServerType type, Deprecation deprecation) {
        List<Map<String, Object>> locations = type.locations().stream().map(name -> {
            SimCatalog.Location location = SimCatalog.location(name).orElseThrow();
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", location.id());
            json.put("name", location.name());
            json.put("deprecation", deprecation(deprecation));
            return json;
        }).toList();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", type.id());
        json.put("name", type.name());
        json.put("description", type.description());
        json.put("category", type.category());
        json.put("cores", type.cores());
        json.put("memory", type.memory());
        json.put("disk", type.disk());
        // The type-wide fields are deprecated in favour of the per-location ones, but Hetzner still
        // fills them when a type is deprecated everywhere, and older clients read only these.
        json.put("deprecated", deprecation != null);
        json.put("deprecation", deprecation(deprecation));
        json.put("cpu_type", type.cpuType());
        json.put("architecture", type.architecture());
        json.put("storage_type", "local");
        json.put("locations", locations);
        json.put("prices", type.locations().stream().map(name -> price(type, name)).toList());
        return json;
    }

    private static Map<String, Object> deprecation(Deprecation deprecation) {
        if (deprecation == null) {
            return null;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("announced", SimRender.time(deprecation.announced()));
        json.put("unavailable_after", SimRender.time(deprecation.unavailableAfter()));
        return json;
    }

    private static Map<String, Object> price(ServerTypeCatalog.ServerType type, String locationName) {
        SimCatalog.Location location = SimCatalog.location(locationName).orElseThrow();
        BigDecimal factor = switch (location.networkZone()) {
            case "eu-central" -> BigDecimal.ONE;
            case "ap-southeast" -> new BigDecimal("1.35");
            default -> new BigDecimal("1.2");
        };
        BigDecimal monthly = BigDecimal.valueOf(type.monthlyEur()).multiply(factor).setScale(2, RoundingMode.HALF_UP);
        BigDecimal hourly = monthly.divide(HOURS_PER_MONTH, 4, RoundingMode.HALF_UP);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("location", location.name());
        json.put("price_hourly", amount(hourly));
        json.put("price_monthly", amount(monthly));
        json.put("included_traffic", location.includedTraffic());
        json.put("price_per_tb_traffic", amount(BigDecimal.ONE));
        return json;
    }

    private static Map<String, Object> amount(BigDecimal net) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("net", net.setScale(10, RoundingMode.HALF_UP).toPlainString());
        json.put("gross", net.multiply(VAT).setScale(10, RoundingMode.HALF_UP).toPlainString());
        return json;
    }

    static Map<String, Object> image(ImageCatalog.Image image) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", image.id());
        json.put("type", image.type());
        json.put("status", "available");
        json.put("name", image.name());
        json.put("description", image.description());
        json.put("image_size", image.imageSize());
        json.put("disk_size", image.diskSize());
        json.put("created", SimRender.time(image.created()));
        json.put("created_from", null);
        json.put("bound_to", null);
        json.put("os_flavor", image.osFlavor());
        json.put("os_version", image.osVersion());
        json.put("rapid_deploy", !image.snapshot());
        json.put("protection", Map.of("delete", false));
        json.put("deprecated", null);
        json.put("deleted", null);
        json.put("labels", image.labels());
        json.put("architecture", image.architecture());
        return json;
    }

    static Map<String, Object> location(SimCatalog.Location location) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", location.id());
        json.put("name", location.name());
        json.put("description", location.description());
        json.put("country", location.country());
        json.put("city", location.city());
        json.put("latitude", location.latitude());
        json.put("longitude", location.longitude());
        json.put("network_zone", location.networkZone());
        return json;
    }

    /**
     * A data center with the server types sold in its location: {@code supported} all of them,
     * {@code available} those still orderable, {@code available_for_migration} the same.
     */
    static Map<String, Object> datacenter(SimCatalog.Location location, List<Long> supported, List<Long> available) {
        Map<String, Object> types = new LinkedHashMap<>();
        types.put("supported", supported);
        types.put("available", available);
        types.put("available_for_migration", available);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", location.datacenterId());
        json.put("name", location.datacenterName());
        json.put("description", location.datacenterDescription());
        json.put("location", location(location));
        json.put("server_types", types);
        return json;
    }
}
