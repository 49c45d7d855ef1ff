/*
 * Hand-maintained descriptor for xnio-api, which ships without one (see undertow.core's for
 * the method). XNIO finds its transport (xnio.nio) and worker configurators through
 * ServiceLoader, which jdeps does not report; org.xnio._private holds the jboss-logging
 * message logger. The jar's schema/ folder is stripped at build time: xnio-api and
 * wildfly-client-config both carry it, which would be a split package in the boot layer.
 */
module xnio.api {
    requires java.management;
    requires org.jboss.threads;
    requires wildfly.client.config;
    requires transitive java.logging;
    requires transitive java.security.sasl;
    requires transitive org.jboss.logging;
    requires transitive org.wildfly.common;

    exports org.xnio;
    exports org.xnio._private;
    exports org.xnio.channels;
    exports org.xnio.conduits;
    exports org.xnio.http;
    exports org.xnio.management;
    exports org.xnio.sasl;
    exports org.xnio.ssl;
    exports org.xnio.streams;

    opens org.xnio._private to org.jboss.logging;

    uses org.xnio.XnioProvider;
    uses org.xnio.XnioWorkerConfigurator;
}
