package clf.queue;

/**
 * The store could not do what was asked for a reason outside the caller's input: the database
 * file is unreadable, the disk is full, the schema is from a newer clf. Nothing was changed.
 */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
