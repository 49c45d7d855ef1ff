/**
 * The durable job queue: jobs, their leases and their event history behind one contract,
 * {@link clf.queue.JobStore}, opened with {@link clf.queue.JobStores}. Only {@code clf.queue} is
 * API; the engines ({@code clf.queue.internal.*}) with their SQL stay internal.
 */
module clf.queue {
    // Its refusals are the protocol's InvalidInputException: one wording of "which field, what was
    // expected, what came" for the CLI, the daemon and the store.
    requires transitive clf.protocol;
    requires transitive java.sql; // clf.queue.sql hands out JDBC statements
    requires org.xerial.sqlitejdbc;
    requires org.postgresql.jdbc;
    // pgjdbc reaches a PostgreSQL Unix socket through junixsocket's socket factory, by class name.
    requires org.newsclub.net.unix;
    requires com.fasterxml.jackson.jr.ob;

    exports clf.queue;
    // The SQL seam of every store (sessions, versioned schemas, transactions) and its two engines:
    // private SQLite files with the same permissions, pragmas and errors, or one shared
    // PostgreSQL. Shared with the token store (clf.secrets) and the capacity store (clf.server).
    exports clf.queue.sql to clf.secrets, clf.server;
    exports clf.queue.sqlite to clf.secrets, clf.server;
    exports clf.queue.postgres to clf.secrets, clf.server;
}
