package clf.hetzner;

/**
 * A Hetzner call that failed after the client's own retries. The message names the method and
 * path and is safe to show to operators and bots: it never contains the API token or user_data,
 * and at most a few hundred characters of what Hetzner answered.
 */
public abstract sealed class HetznerException extends RuntimeException
        permits HetznerApiException, HetznerTransportException, HetznerResponseException {
    private final String method;
    private final String path;

    HetznerException(String method, String path, String detail, Throwable cause) {
        super(method + " " + path + ": " + detail, cause);
        this.method = method;
        this.path = path;
    }

    /** The HTTP method, e.g. {@code POST}. */
    public String method() {
        return method;
    }

    /** The path below the base URL with its query, e.g. {@code /servers?name=x}. */
    public String path() {
        return path;
    }

    /** Whether trying the whole operation again later may succeed (the job may be retried). */
    public abstract boolean retryable();
}
