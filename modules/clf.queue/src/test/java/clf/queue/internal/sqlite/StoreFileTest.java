package clf.queue.internal.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.queue.JobStore;
import clf.queue.JobQuery;
import clf.queue.JobStores;
import clf.queue.NewJob;
import clf.queue.StoreException;
import clf.queue.TestStores;
import clf.testing.SettableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreFileTest {
    @TempDir
    Path dir;
    SettableClock clock = new SettableClock(TestStores.T0);

    @Test
    void newStoreIsPrivateAndInWalMode() throws Exception {
        Path db = dir.resolve("a/b/state.sqlite");
        try (JobStore store = JobStores.openSqlite(db, TestStores.options(clock))) {
            store.enqueue(NewJob.of("cattle.reap", "maren", "{}"));
            assertEquals("rwx------", mode(db.getParent()));
            assertEquals("rw-------", mode(db));
            assertEquals("rw-------", mode(Path.of(db + "-wal")));
            assertEquals("rw-------", mode(Path.of(db + "-shm")));
            assertEquals("wal", pragma(db, "journal_mode"));
            assertEquals(String.valueOf(JobSchema.SCHEMA.latest()), pragma(db, "user_version"));
        }
    }

    @Test
    void openTightensLoosePermissions() throws Exception {
        Path state = dir.resolve("state");
        Files.createDirectories(state);
        Path db = state.resolve("state.sqlite");
        try (JobStore store = JobStores.openSqlite(db, TestStores.options(clock))) {
            store.enqueue(NewJob.of("cattle.reap", "maren", "{}"));
        }
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));

        try (JobStore store = JobStores.openSqlite(db, TestStores.options(clock))) {
            assertEquals("rwx------", mode(state));
            assertEquals("rw-------", mode(db));
            assertEquals(1, store.list(JobQuery.all()).jobs().size());
        }
    }

    @Test
    void databaseFromANewerClfIsRefusedAndLeftAlone() throws Exception {
        Path db = dir.resolve("state.sqlite");
        JobStores.openSqlite(db, TestStores.options(clock)).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version = 9");
        }

        StoreException e = assertThrows(StoreException.class, () -> JobStores.openSqlite(db, TestStores.options(clock)));

        assertEquals("the database " + db + " was written by a newer clf (job queue schema version 9; this clf knows up to " + JobSchema.SCHEMA.latest() + ");"
                + " upgrade clf or point it at another database", e.getMessage());
        assertEquals("9", pragma(db, "user_version"));
    }

    @Test
    void aFileThatIsNotADatabaseIsReportedAsSuch() throws Exception {
        Path db = dir.resolve("state.sqlite");
        Files.writeString(db, "this is not sqlite, just some text that is long enough to have a header".repeat(10));
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-------"));

        StoreException e = assertThrows(StoreException.class, () -> JobStores.openSqlite(db, TestStores.options(clock)));

        assertTrue(e.getMessage().contains("not a SQLite database"), e.getMessage());
        assertTrue(e.getMessage().contains(db.toString()), e.getMessage());
    }

    @Test
    void theStateDirectoryMustBeADirectory() throws Exception {
        Path notDir = dir.resolve("file");
        Files.writeString(notDir, "x");

        StoreException e = assertThrows(StoreException.class,
                () -> JobStores.openSqlite(notDir.resolve("state.sqlite"), TestStores.options(clock)));

        assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
    }

    @Test
    void aClosedStoreSaysSoNamingItsFile() {
        Path db = dir.resolve("state.sqlite");
        JobStore store = JobStores.openSqlite(db, TestStores.options(clock));
        store.close();

        StoreException e = assertThrows(StoreException.class,
                () -> store.enqueue(NewJob.of("cattle.reap", "maren", "{}")));
        assertEquals("job queue database is closed: " + db, e.getMessage());
    }

    @Test
    void schemaChecksRejectRowsThatBreakTheRules() throws Exception {
        Path db = dir.resolve("state.sqlite");
        JobStores.openSqlite(db, TestStores.options(clock)).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            assertThrows(java.sql.SQLException.class, () -> s.execute(
                    "INSERT INTO jobs (job_id, kind, requester, payload_json, status, priority, run_at, created_at,"
                            + " updated_at, attempt, max_attempts) VALUES ('x','k','r','{}','finished',0,0,0,0,0,1)"));
            assertThrows(java.sql.SQLException.class, () -> s.execute(
                    "INSERT INTO jobs (job_id, kind, requester, payload_json, status, priority, run_at, created_at,"
                            + " updated_at, attempt, max_attempts) VALUES ('x','k','r','{}','running',0,0,0,0,0,1)"));
        }
    }

    static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    static String pragma(Path db, String name) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("PRAGMA " + name)) {
            r.next();
            return r.getString(1);
        }
    }
}
