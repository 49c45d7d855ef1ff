package clf.server.internal.tailnet.keys;

/**
 * Tailscale's API refused or failed a call. The message names the call and Tailscale's status,
 * never a credential or a key. {@link #retryable()}: a later attempt may succeed (429, 5xx, no
 * answer); otherwise only the operator can fix it (the OAuth client, its scopes or its tags).
 */
public final class TailscaleApiException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final boolean retryable;

    TailscaleApiException(String message, int status, boolean retryable) {
        super(message);
        this.status = status;
        this.retryable = retryable;
    }

    /** The HTTP status, 0 when there was no answer. */
    public int status() {
        return status;
    }

    public boolean retryable() {
        return retryable;
    }
}
