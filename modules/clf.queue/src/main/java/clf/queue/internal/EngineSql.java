package clf.queue.internal;

import clf.queue.sql.SqlEngine;

/**
 * The few words of SQL that differ between the engines in a query both otherwise share. SQLite
 * is told which index to use (it picks a partial index only when told); PostgreSQL's planner
 * needs no hint, but it needs row locks where SQLite's single writer makes them moot.
 */
public final class EngineSql {
    private EngineSql() {
    }

    /**
     * {@code  FOR UPDATE} on PostgreSQL, nothing on SQLite: a row read to decide a write is
     * locked until the transaction ends, so another host cannot change it in between. SQLite's
     * write transactions already exclude each other.
     */
    public static String forUpdate(SqlEngine engine) {
        return engine == SqlEngine.POSTGRESQL ? " FOR UPDATE" : "";
    }

    /** {@code  INDEXED BY index} on SQLite, nothing on PostgreSQL. */
    public static String indexedBy(SqlEngine engine, String index) {
        return engine == SqlEngine.SQLITE ? " INDEXED BY " + index : "";
    }
}
