/*
 * Hand-maintained descriptor for wildfly-client-config, which ships without one (xnio-api
 * needs it). Its schema/ folder is stripped at build time (split package with xnio-api);
 * org.wildfly.client.config._private holds the jboss-logging message logger.
 */
module wildfly.client.config {
    requires org.jboss.logging;
    requires transitive java.xml;
    requires transitive org.wildfly.common;

    exports org.wildfly.client.config;
    exports org.wildfly.client.config._private;

    opens org.wildfly.client.config._private to org.jboss.logging;
}
