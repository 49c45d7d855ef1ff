/*
 * Hand-maintained descriptor for pgjdbc, which ships only an Automatic-Module-Name (jlink links
 * no automatic module). Written from `jdeps --generate-module-info` and cut to what the driver
 * needs to connect: java.desktop (PGpoint), java.xml (SQLXML), java.transaction.xa (XA) and
 * java.management (a heap probe it guards) are static, so the image does not carry them. GSS
 * stays: PGStream links its types even when GSS is not used (clf turns gssEncMode off).
 */
module org.postgresql.jdbc {
    requires transitive java.sql;
    requires java.logging;
    requires java.naming;
    requires java.security.jgss;
    requires static java.desktop;
    requires static java.management;
    requires static java.transaction.xa;
    requires static java.xml;

    exports org.postgresql;
    exports org.postgresql.copy;
    exports org.postgresql.core;
    exports org.postgresql.core.v3;
    exports org.postgresql.ds;
    exports org.postgresql.ds.common;
    exports org.postgresql.jdbc;
    exports org.postgresql.util;

    provides java.sql.Driver with org.postgresql.Driver;
}
