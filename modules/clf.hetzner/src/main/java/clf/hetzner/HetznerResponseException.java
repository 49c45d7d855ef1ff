package clf.hetzner;

/**
 * Hetzner answered 2xx with something the client cannot use: a body that is not the documented
 * JSON, or a pagination that does not advance.
 */
public final class HetznerResponseException extends HetznerException {
    public HetznerResponseException(String method, String path, String detail) {
        super(method, path, detail, null);
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
