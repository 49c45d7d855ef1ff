package clf.hetzner;

/**
 * The filters of {@code GET /images}; {@code null} leaves one out.
 *
 * @param type          {@code system}, {@code app}, {@code snapshot} or {@code backup}
 * @param labelSelector e.g. {@code role=clf-cattle}
 * @param status        e.g. {@code available}
 * @param sort          e.g. {@code created:desc}
 */
public record ImageFilter(String type, String labelSelector, String status, String sort) {
    /** Every image of the project and every public one. */
    public static ImageFilter all() {
        return new ImageFilter(null, null, null, null);
    }

    /** The available snapshots carrying these labels, newest first. */
    public static ImageFilter newestSnapshots(String labelSelector) {
        return new ImageFilter("snapshot", labelSelector, "available", "created:desc");
    }
}
