package clf.server.internal.unix;

import clf.server.internal.auth.Caller;
import io.undertow.server.AbstractServerConnection;
import io.undertow.server.HttpServerExchange;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.xnio.StreamConnection;

/**
 * The caller behind each bridged connection. The bridge learns the peer credentials when it
 * accepts; Undertow only sees the XNIO pipe end, so the two are joined here by that end.
 */
public final class Connections {
    private final Map<StreamConnection, Caller> callers = new ConcurrentHashMap<>();

    void register(StreamConnection serverSide, Caller caller) {
        callers.put(serverSide, caller);
    }

    void forget(StreamConnection serverSide) {
        callers.remove(serverSide);
    }

    /** The caller of this exchange, or null if it did not arrive through the bridge. */
    public Caller callerOf(HttpServerExchange exchange) {
        if (exchange.getConnection() instanceof AbstractServerConnection connection) {
            return callers.get(connection.getChannel());
        }
        return null;
    }
}
