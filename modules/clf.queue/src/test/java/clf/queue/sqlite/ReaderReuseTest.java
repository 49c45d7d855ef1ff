package clf.queue.sqlite;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import clf.queue.sql.Schema;
import clf.queue.sql.Session;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One client reading after a burst keeps to one reader connection (and its warm page cache). */
class ReaderReuseTest {
    private static final Schema SCHEMA = new Schema("test", List.of("CREATE TABLE t (x INTEGER)"));

    @Test
    void sequentialReadsAfterABurstReuseTheReaderReturnedLast(@TempDir Path dir) {
        try (Database database = Database.open(dir.resolve("test.sqlite"), Duration.ofSeconds(1), SCHEMA)) {
            // Two reads at once open two readers; the outer one is returned last.
            Session[] outer = new Session[1];
            Session inner = database.read(first -> {
                outer[0] = first;
                return database.read(second -> second);
            });
            assertNotSame(outer[0], inner);

            Session next = database.read(session -> session);
            Session after = database.read(session -> session);

            assertSame(outer[0], next);
            assertSame(next, after);
        }
    }
}
