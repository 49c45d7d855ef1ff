package clf.hetzner;

/** No answer arrived: the request timed out, the connection failed, or the wait was interrupted. */
public final class HetznerTransportException extends HetznerException {
    public HetznerTransportException(String method, String path, String detail, Throwable cause) {
        super(method, path, detail, cause);
    }

    @Override
    public boolean retryable() {
        return !(getCause() instanceof InterruptedException);
    }
}
