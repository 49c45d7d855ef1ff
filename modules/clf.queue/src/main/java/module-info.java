/**
 * The durable job queue: a SQLite (WAL) file holding jobs, their leases and their event history.
 * Only {@code clf.queue} is API; SQL, connections and migrations stay internal.
 */
module clf.queue {
    requires transitive java.sql; // clf.queue.sqlite hands out JDBC statements
    requires org.xerial.sqlitejdbc;
    requires com.fasterxml.jackson.jr.ob;

    exports clf.queue;
    // Private SQLite files with versioned schemas, shared with clf.secrets' token store.
    exports clf.queue.sqlite;
}
