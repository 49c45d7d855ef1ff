package clf.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Processes sharing one store, as daemons on one host (SQLite) or on several (PostgreSQL) do. */
class CrossProcessTest extends StoreFixture {
    @Test
    void twoProcessesRacingWithOneKeyMakeOneJob() throws Exception {
        Process a = ChildJvm.start("enqueue-key", engine.name(), dir.toString(), "16", "discord-123");
        Process b = ChildJvm.start("enqueue-key", engine.name(), dir.toString(), "16", "discord-123");
        Set<String> ids = new HashSet<>(ChildJvm.linesOf(a));
        ids.addAll(ChildJvm.linesOf(b));

        assertEquals(1, ids.size(), ids.toString());
        assertEquals(1, store.list(JobQuery.all()).jobs().size());
    }
}
