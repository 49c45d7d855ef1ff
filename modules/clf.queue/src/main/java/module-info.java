/**
 * The durable job queue: jobs, their leases and their event history behind one contract,
 * {@link clf.queue.JobStore}, opened with {@link clf.queue.JobStores}. Only {@code clf.queue} is
 * API; the engines ({@code clf.queue.internal.*}) with their SQL stay internal.
 */
module clf.queue {
    // Its refusals are the protocol's InvalidInputException: one wording of "which field, what was
    // expected, what came" for the CLI, the daemon and the store.
    requires transitive clf.protocol;
    requires transitive java.sql; // clf.queue.sqlite hands out JDBC statements
    requires org.xerial.sqlitejdbc;
    requires com.fasterxml.jackson.jr.ob;

    exports clf.queue;
    // Private SQLite files with versioned schemas, shared with the token store (clf.secrets) and
    // the capacity store (clf.server) so each gets the same permissions, pragmas and errors.
    exports clf.queue.sqlite to clf.secrets, clf.server;
}
