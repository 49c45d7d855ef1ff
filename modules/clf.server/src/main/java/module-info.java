/**
 * The clf-orchestrator daemon. It exports nothing: bots and the {@code clf} CLI reach it only
 * through the wire protocol ({@code clf.protocol}), which it maps onto the queue's model. It is
 * started with {@code -m clf.server/clf.server.Main}.
 */
module clf.server {
    requires clf.protocol;
    requires clf.queue;
    requires clf.hetzner;
    requires clf.secrets;
    requires undertow.core;
    requires xnio.api;
    requires jdk.unsupported; // sun.misc.Signal: SIGTERM ends the daemon with exit code 0
    requires java.logging;
    requires java.net.http; // dev mode's simulated VMs fetch their env like real ones
    requires jdk.httpserver; // the Tailscale API simulator (tests and --dev)
    requires org.newsclub.net.unix;
    // Without this the junixsocket native library is not found inside the runtime image.
    requires com.kohlschutter.junixsocket.nativecommon;
    requires com.fasterxml.jackson.jr.ob;
}
