/**
 * Hetzner Cloud API client ({@code clf.hetzner}) and a stateful, loopback-only simulator of the
 * part of the API that the client and Hetzner's own clients use ({@code clf.hetzner.sim}, for
 * tests and the daemon's dev mode).
 * HTTP, retries, JSON mapping and the simulator's internals stay in non-exported packages.
 */
module clf.hetzner {
    requires java.net.http;
    requires jdk.httpserver; // the simulator's HTTP server; jlink images must therefore include it
    requires com.fasterxml.jackson.jr.ob;

    exports clf.hetzner;
    exports clf.hetzner.sim;
}
