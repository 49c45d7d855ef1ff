package clf.server.internal.cattle.capacity;

import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.testing.HostTool;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is about a host's own capacity file (SQLite). */
class SpawnSlotFileTest {
    @TempDir
    Path dir;

    SpawnSlots open() {
        return SpawnSlots.open(dir.resolve("capacity.sqlite"), Clock.systemUTC());
    }

    @Test
    void aCapacityFilePlantedByAnotherUserIsRefused() throws Exception {
        HostTool.requireRoot("to give a file to another user");
        open().close();
        java.nio.file.Files.setAttribute(dir.resolve("capacity.sqlite"), "unix:uid", 4299,
                java.nio.file.LinkOption.NOFOLLOW_LINKS);

        clf.queue.StoreException refused = org.junit.jupiter.api.Assertions.assertThrows(
                clf.queue.StoreException.class, this::open);

        assertTrue(refused.getMessage().startsWith("database file is owned by uid 4299"), refused.getMessage());
    }
}
