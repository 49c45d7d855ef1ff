package clf.queue;

import clf.testing.SettableClock;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A test's store: a real SQLite file in a fresh temp dir, on a settable clock from {@link TestStores#T0}. */
abstract class StoreFixture {
    @TempDir
    Path dir;
    SettableClock clock = new SettableClock(TestStores.T0);
    JobStore store;

    @BeforeEach
    void open() {
        store = TestStores.open(dir, clock);
    }

    @AfterEach
    void close() {
        store.close();
    }
}
