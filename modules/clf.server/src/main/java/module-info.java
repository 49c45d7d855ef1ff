/**
 * The clf-orchestrator daemon. Exports nothing: it is started with
 * {@code -m clf.server/clf.server.Main}, and nothing else links against it.
 */
module clf.server {
    requires clf.queue;
    requires clf.hetzner;
    requires clf.secrets;
    requires undertow.core;
    requires xnio.api;
    requires org.newsclub.net.unix;
    // Without this the junixsocket native library is not found inside the runtime image.
    requires com.kohlschutter.junixsocket.nativecommon;
    requires com.fasterxml.jackson.jr.ob;
}
