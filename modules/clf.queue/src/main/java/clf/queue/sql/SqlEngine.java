package clf.queue.sql;

/** The engines a clf store runs on: a private SQLite file per host, or one shared PostgreSQL. */
public enum SqlEngine {
    SQLITE("SQLite"),
    POSTGRESQL("PostgreSQL");

    private final String displayName;

    SqlEngine(String displayName) {
        this.displayName = displayName;
    }

    /** The engine's own name, for logs, {@code clf status} and metrics. */
    public String displayName() {
        return displayName;
    }
}
