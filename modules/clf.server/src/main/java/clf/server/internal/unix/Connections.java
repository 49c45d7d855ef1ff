package clf.server.internal.unix;

import clf.server.internal.auth.Caller;
import io.undertow.server.AbstractServerConnection;
import io.undertow.server.HttpServerExchange;

/**
 * The caller behind each bot-socket connection. The accept thread learns the peer credentials
 * and the {@link UnixConnection} Undertow serves carries them, so an exchange finds its caller
 * through its connection's channel.
 */
public final class Connections {
    /** The caller of this exchange, or null if it did not arrive on the bot socket. */
    public Caller callerOf(HttpServerExchange exchange) {
        if (exchange.getConnection() instanceof AbstractServerConnection connection
                && connection.getChannel() instanceof UnixConnection unix) {
            return unix.caller();
        }
        return null;
    }
}
