package clf.hetzner.internal;

/** A JSON document did not have the shape the API documents; callers add method and path. */
public final class JsonShapeException extends RuntimeException {
    public JsonShapeException(String message) {
        super(message);
    }
}
