package clf.hetzner.internal.sim;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /images} and {@code GET /images/{id}}. Filters as in the OpenAPI file: {@code type},
 * {@code status} and {@code architecture} (each checked against the API's values),
 * {@code name}, {@code label_selector}, {@code include_deprecated}, {@code bound_to} (only backups
 * have it, and the simulator has none); {@code sort} by id, name or created.
 */
final class ImagesEndpoint {
    private static final Map<String, Comparator<ImageCatalog.Image>> SORT = new LinkedHashMap<>();

    static {
        SORT.put("id", Comparator.comparingLong(ImageCatalog.Image::id));
        SORT.put("name", Comparator.comparing(ImageCatalog.Image::name, Comparator.nullsFirst(Comparator.naturalOrder())));
        SORT.put("created", Comparator.comparing(ImageCatalog.Image::created));
    }

    private final ImageCatalog images;
    private final Faults faults;

    ImagesEndpoint(ImageCatalog images, Faults faults) {
        this.images = images;
        this.faults = faults;
    }

    SimResponse list(SimQuery query) {
        List<String> types = query.oneOf("type", List.of("system", "app", "snapshot", "backup"));
        List<String> statuses = query.oneOf("status", List.of("available", "creating", "unavailable"));
        List<String> architectures = query.oneOf("architecture", List.of("x86", "arm"));
        query.flag("include_deprecated"); // checked; no simulated image is deprecated
        boolean boundTo = !query.all("bound_to").isEmpty();
        String name = query.first("name");
        LabelSelector selector = query.selector();
        List<ImageCatalog.Image> matching = images.all().stream()
                .filter(image -> types.isEmpty() || types.contains(image.type()))
                .filter(image -> statuses.isEmpty() || statuses.contains("available"))
                .filter(image -> architectures.isEmpty() || architectures.contains(image.architecture()))
                .filter(image -> !boundTo)
                .filter(image -> name == null || name.isEmpty() || name.equals(image.name()))
                .filter(image -> selector.matches(image.labels()))
                .sorted(Comparator.comparingLong(ImageCatalog.Image::id))
                .toList();
        List<ImageCatalog.Image> sorted = Sorting.sort(query, matching, SORT);
        return SimResponse.of(200, Paging.page(query, "images", sorted, CatalogRender::image, faults.stuckPagination()));
    }

    SimResponse get(long id) {
        ImageCatalog.Image image = images.byId(id).orElseThrow(() -> SimError.notFound("image with ID " + id + " not found"));
        return SimResponse.of(200, Map.of("image", CatalogRender.image(image)));
    }
}
