package clf.server.internal.tailnet;

import java.io.IOException;

/**
 * tailscaled's LocalAPI could not be asked (no socket, refused, no answer in time) or answered
 * something that is not a whois answer. The message says which, for the operator's log.
 */
public final class LocalApiException extends IOException {
    private static final long serialVersionUID = 1L;

    public LocalApiException(String message) {
        super(message);
    }

    public LocalApiException(String message, Throwable cause) {
        super(message, cause);
    }
}
