package clf.hetzner.sim;

/**
 * Told about server lifecycle events, on the thread that answered the request, after the state
 * changed and before the answer is sent. Implementations must be quick and must not throw.
 */
public interface SimListener {
    /** A server was created, by {@code POST /servers} or {@link HetznerSimulator#addServer}. */
    default void serverCreated(SimServer server) {
    }

    /** {@code DELETE /servers/{id}} was accepted; the server is now {@code deleting}. */
    default void serverDeleted(SimServer server) {
    }
}
