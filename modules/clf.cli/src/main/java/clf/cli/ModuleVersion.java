package clf.cli;

/** The version javac recorded in our module descriptor (root pom: --module-version). */
final class ModuleVersion {

    private ModuleVersion() {}

    /**
     * Returns the module's version, or "unknown" when the class was loaded from the class
     * path (unit tests), where there is no descriptor to read it from.
     */
    static String of(Class<?> type) {
        Module module = type.getModule();
        if (!module.isNamed() || module.getDescriptor() == null) {
            return "unknown";
        }
        return module.getDescriptor().rawVersion().orElse("unknown");
    }
}
