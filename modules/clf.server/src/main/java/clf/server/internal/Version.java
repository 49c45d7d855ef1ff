package clf.server.internal;

/** The version clf was built as, from the module descriptor the image links. */
public final class Version {
    private Version() {
    }

    /** The version of {@code type}'s module, or {@code unknown} on the class path (unit tests) or without one. */
    public static String of(Class<?> type) {
        Module module = type.getModule();
        return module.getDescriptor() == null ? "unknown" : module.getDescriptor().rawVersion().orElse("unknown");
    }
}
