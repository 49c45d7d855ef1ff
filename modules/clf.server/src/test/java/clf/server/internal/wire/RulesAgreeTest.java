package clf.server.internal.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import clf.protocol.Protocol;
import clf.protocol.RequesterName;
import clf.queue.JobStore;
import clf.queue.NewJob;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CLI checks input with the protocol's rules before it sends anything, the store with its
 * own when it stores it; these say the same thing, or a bot would be refused by one and not the
 * other.
 */
class RulesAgreeTest {
    @Test
    void theShortestIdPrefixIsTheSame() {
        assertEquals(JobStore.MIN_ID_PREFIX, Protocol.MIN_ID_PREFIX);
    }

    @Test
    void aRequesterIsAcceptedByBothOrByNeither() {
        List<String> samples = List.of("maren", "a", "x".repeat(64), "x".repeat(65), "", "Maren", "ma ren",
                "_alice", "alice.", "bot-1", "a/b", "é");
        for (String sample : samples) {
            assertEquals(accepts(() -> NewJob.requireRequester("requester", sample)),
                    accepts(() -> RequesterName.require("requester", sample)), sample);
        }
    }

    @Test
    void bothRefuseWithTheSameWords() {
        String store = message(() -> NewJob.requireRequester("requester", "A"));
        String wire = message(() -> RequesterName.require("requester", "A"));
        assertEquals(store, wire);
    }

    private static boolean accepts(Runnable check) {
        return message(check) == null;
    }

    private static String message(Runnable check) {
        try {
            check.run();
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
