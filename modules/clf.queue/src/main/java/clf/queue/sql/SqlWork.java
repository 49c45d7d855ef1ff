package clf.queue.sql;

import java.sql.SQLException;

/** Work done inside one transaction (or one read snapshot). */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Session session) throws SQLException;
}
