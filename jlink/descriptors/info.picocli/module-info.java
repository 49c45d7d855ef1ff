/*
 * Same descriptor as picocli's own (META-INF/versions/9/module-info.class). The image
 * recompiles picocli from its published sources jar for Java 17, because CDS skips the
 * Java 5 class files the binary jar ships and picocli dominates the CLI's start-up.
 */
module info.picocli {
    requires static java.sql;
    exports picocli;
}
