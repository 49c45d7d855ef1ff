package clf.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenarios A and B of {@link ReliabilityHarness} in the normal suite, with 2,000 generated bad
 * requests per listener instead of 10,000 ({@code -Dclf.fuzz.requests}); the seed is {@code
 * -Dclf.fuzz.seed} (default fixed) so a failure can be replayed. See {@link HostileInputRun}.
 */
class HostileInputIT {
    @TempDir
    Path dir;

    @Test
    void badRequestsOnBothListenersAreRefusedLeaveTheStoresByteForByteAndOneTokenIsRedeemedOnce() throws Exception {
        long seed = Long.getLong("clf.fuzz.seed", HostileInputRun.DEFAULT_SEED);
        int requests = Integer.getInteger("clf.fuzz.requests", 2_000);

        HostileInputRun.Result result = HostileInputRun.run(dir, seed, requests, System.out);

        result.print(System.out);
        for (HostileInputRun.ListenerResult listener : result.listeners()) {
            assertTrue(listener.requests() >= requests, listener.listener() + ": " + listener.requests() + " requests");
        }
        assertEquals(List.of(), result.problems(), "seed " + seed);
    }
}
