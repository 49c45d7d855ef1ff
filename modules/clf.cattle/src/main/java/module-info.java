/**
 * {@code clf-cattle}, the agent on a cattle VM: it reads what cloud-init wrote, trades the
 * bootstrap token for the env over the tailnet, runs the image's task command, reports the
 * outcome and powers the machine off. It reads the wire protocol and never the daemon.
 */
module clf.cattle {
    requires clf.protocol;
    requires java.net.http;
    requires com.fasterxml.jackson.jr.ob;
}
