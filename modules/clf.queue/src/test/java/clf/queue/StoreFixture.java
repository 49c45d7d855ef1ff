package clf.queue;

import clf.testing.SettableClock;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The store contract tests' fixture: each subclass runs once per {@link StoreEngine}, on a fresh
 * store in a temp dir with a settable clock from {@link TestStores#T0}. Tests here speak only the
 * {@link JobStore} contract; what is about one engine's files or SQL lives beside that engine's
 * tests (e.g. {@code clf.queue.internal.sqlite}).
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(StoreEngine.class)
abstract class StoreFixture {
    @Parameter
    StoreEngine engine;
    @TempDir
    Path dir;
    SettableClock clock = new SettableClock(TestStores.T0);
    JobStore store;

    @BeforeEach
    void open() {
        store = engine.open(dir, TestStores.options(clock));
    }

    /** Closes the store and opens it again, as a restarted daemon would. */
    void reopen() {
        store.close();
        store = engine.open(dir, TestStores.options(clock));
    }

    @AfterEach
    void close() {
        store.close();
    }
}
