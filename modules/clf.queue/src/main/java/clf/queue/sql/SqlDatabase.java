package clf.queue.sql;

/**
 * A database behind clf's stores (jobs, bootstrap tokens, capacity): transactions and reads over
 * {@link Session}s, whatever the engine. A store brings its tables up to date with
 * {@link #migrate} once, then does all its work in {@link #write} and {@link #read} blocks.
 *
 * <p>SQL that differs between engines stays in the store, chosen by {@link #engine()}; what is
 * the same (sessions, transactions, schema versions, error translation) lives behind this.
 */
public interface SqlDatabase extends AutoCloseable {
    SqlEngine engine();

    /**
     * Where the data lives, for logs and status: a file path, or a PostgreSQL address. Never
     * holds a password.
     */
    String location();

    /**
     * Brings {@code schema}'s tables up to date in one transaction, so a crash half-way leaves
     * the previous version intact; refuses a database whose {@code schema} is newer than this clf.
     */
    void migrate(Schema schema);

    /** Runs {@code work} in one write transaction; rolls back if it throws. */
    <T> T write(SqlWork<T> work);

    /**
     * Runs {@code work} whose statements each stand alone: a write in one statement (with reads
     * that need not share its transaction), which may run again from the start. An engine that
     * can lets each statement commit itself, sparing the round trips of BEGIN and COMMIT on the
     * hot paths; by default this is {@link #write}.
     */
    default <T> T writeAutoCommit(SqlWork<T> work) {
        return write(work);
    }

    /** Runs read-only {@code work} outside any transaction of this process's writers. */
    <T> T read(SqlWork<T> work);

    /** Runs read-only {@code work} so all its queries see one consistent snapshot. */
    <T> T readSnapshot(SqlWork<T> work);

    /** Closes every connection; later calls fail with a {@link clf.queue.StoreException}. */
    @Override
    void close();
}
