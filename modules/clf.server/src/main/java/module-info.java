/**
 * The clf-orchestrator daemon. Its only API is {@code clf.server.protocol}, the wire protocol
 * that the {@code clf} CLI shares; the daemon itself lives in non-exported packages and is
 * started with {@code -m clf.server/clf.server.Main}.
 */
module clf.server {
    requires transitive clf.queue;
    requires clf.hetzner;
    requires clf.secrets;
    requires undertow.core;
    requires xnio.api;
    requires jdk.unsupported; // sun.misc.Signal: SIGTERM ends the daemon with exit code 0
    requires java.logging;
    requires java.net.http; // dev mode's simulated VMs fetch their env like real ones
    requires org.newsclub.net.unix;
    // Without this the junixsocket native library is not found inside the runtime image.
    requires com.kohlschutter.junixsocket.nativecommon;
    requires com.fasterxml.jackson.jr.ob;

    exports clf.server.protocol;
}
