package clf.queue.sqlite;

import clf.queue.StoreException;
import clf.queue.sql.Schema;
import clf.queue.sql.Session;
import java.nio.file.Path;
import java.sql.SQLException;

/**
 * Brings a file's schema up to date inside the caller's write transaction, so a crash half-way
 * leaves the previous version intact. A database from a newer clf is refused rather than
 * guessed at.
 */
final class Migrations {
    private Migrations() {
    }

    static Void migrate(Session session, Schema schema, Path file) throws SQLException {
        int version = userVersion(session);
        if (version > schema.latest()) {
            throw new StoreException("the database " + file + " was written by a newer clf (" + schema.name() + " schema version "
                    + version + "; this clf knows up to " + schema.latest()
                    + "); upgrade clf or point it at another database");
        }
        for (int step = version; step < schema.latest(); step++) {
            for (String statement : schema.statements(step)) {
                session.execute(statement);
            }
        }
        if (version != schema.latest()) {
            session.execute("PRAGMA user_version = " + schema.latest());
        }
        return null;
    }

    static int userVersion(Session session) throws SQLException {
        return (int) session.queryLong("PRAGMA user_version").orElse(0);
    }
}
