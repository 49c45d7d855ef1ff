package clf.queue;

/**
 * The store could not do what was asked for a reason outside the caller's input: the database
 * file is unreadable, the database server is down, the disk is full, the schema is from a newer clf. Nothing was changed.
 */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * What went wrong, as far as the store can tell, so that callers can say what to do about
     * it: a full disk is the operator's to fix, and goes away once space is freed.
     */
    public enum Reason {
        /** The file system has no room left (SQLite's SQLITE_FULL, the kernel's ENOSPC). */
        DISK_FULL,
        /** Another process held the database's lock for longer than the busy timeout. */
        LOCKED,
        /** The database server cannot be reached or refused the login (PostgreSQL down, network, credentials). */
        UNAVAILABLE,
        /** The file is not a SQLite database, or it is damaged. */
        CORRUPT,
        /** The file or its directory cannot be written (permissions, a read-only file system). */
        READ_ONLY,
        /** Anything else: a closed store, a newer schema, an I/O error with no better name. */
        OTHER
    }

    private final Reason reason;

    public StoreException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public StoreException(String message, Throwable cause) {
        this(Reason.OTHER, message, cause);
    }

    public StoreException(String message) {
        this(Reason.OTHER, message, null);
    }

    public Reason reason() {
        return reason;
    }
}
