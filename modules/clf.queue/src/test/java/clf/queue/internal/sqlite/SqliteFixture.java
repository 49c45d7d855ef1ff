package clf.queue.internal.sqlite;

import clf.queue.JobStore;
import clf.queue.JobStores;
import clf.queue.StoreEngine;
import clf.queue.TestStores;
import clf.testing.SettableClock;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A test about the SQLite engine itself: its file, its SQL, its query plans. */
abstract class SqliteFixture {
    @TempDir
    Path dir;
    SettableClock clock = new SettableClock(TestStores.T0);
    JobStore store;

    Path file() {
        return StoreEngine.sqliteFile(dir);
    }

    @BeforeEach
    void open() {
        store = JobStores.openSqlite(file(), TestStores.options(clock));
    }

    /** Opens the store at {@code file}, closing the one open now. */
    void reopen(Path file) {
        store.close();
        store = JobStores.openSqlite(file, TestStores.options(clock));
    }

    @AfterEach
    void close() {
        store.close();
    }
}
