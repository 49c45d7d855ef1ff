package clf.server.internal.worker;

/** A handler's failure that another attempt cannot fix (e.g. an unknown identity): no retry. */
public final class PermanentFailure extends Exception {
    private static final long serialVersionUID = 1L;

    public PermanentFailure(String message) {
        super(message);
    }
}
