/*
 * Hand-maintained descriptor for xnio-nio, which ships without one. Nothing requires this
 * module: XNIO loads it as an org.xnio.XnioProvider, so jlink adds it with --add-modules.
 * org.xnio.nio holds its jboss-logging message logger.
 */
module xnio.nio {
    requires org.wildfly.common;
    requires transitive org.jboss.logging;
    requires transitive xnio.api;

    exports org.xnio.nio;

    opens org.xnio.nio to org.jboss.logging;

    provides org.xnio.XnioProvider with org.xnio.nio.NioXnioProvider;
}
