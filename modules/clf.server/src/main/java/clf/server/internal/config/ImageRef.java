package clf.server.internal.config;

/**
 * What {@code CLF_CATTLE_IMAGE} (or a spawn's {@code image}) names: an image id, a system image
 * name, or {@code label:SELECTOR}, the newest available snapshot carrying those labels. Uploaded
 * cattle images are snapshots, and snapshots have no name on Hetzner, so production refers to
 * them by id or, to pick up a new upload without a config change, by labels.
 */
public sealed interface ImageRef {
    String LABEL_PREFIX = "label:";

    /** As the operator wrote it, for messages. */
    String text();

    /** All digits: the image with this id. */
    record ById(long id) implements ImageRef {
        @Override
        public String text() {
            return Long.toString(id);
        }
    }

    /** A system (or app) image name such as {@code ubuntu-24.04}. */
    record ByName(String name) implements ImageRef {
        @Override
        public String text() {
            return name;
        }
    }

    /** {@code label:role=clf-cattle}: the newest available snapshot matching the selector. */
    record ByLabels(String selector) implements ImageRef {
        @Override
        public String text() {
            return LABEL_PREFIX + selector;
        }
    }

    /** @throws IllegalArgumentException saying what is expected (for config and payload errors) */
    static ImageRef parse(String raw) {
        String text = raw == null ? "" : raw.strip();
        if (text.startsWith(LABEL_PREFIX)) {
            String selector = text.substring(LABEL_PREFIX.length()).strip();
            if (selector.isEmpty()) {
                throw new IllegalArgumentException(expected(raw));
            }
            return new ByLabels(selector);
        }
        if (text.matches("\\d{1,18}")) {
            long id = Long.parseLong(text);
            if (id > 0) {
                return new ById(id);
            }
            throw new IllegalArgumentException(expected(raw));
        }
        if (text.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            return new ByName(text);
        }
        throw new IllegalArgumentException(expected(raw));
    }

    private static String expected(String raw) {
        return "an image id (digits), a system image name (e.g. ubuntu-24.04) or label:KEY=VALUE[,…] "
                + "(the newest available snapshot with those labels), got '" + raw + "'";
    }
}
