package clf.image;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Hetzner storm fault proof in small ({@link HetznerStorm.Settings#quick}: 12 s of 429s,
 * 10 s of 500/503 bursts, 8 s of answers held past the client's timeout); {@link FaultProof}
 * runs a minute of each. Every job must end done or failed with a reason naming the condition,
 * none stuck, no spawn with two servers, nothing left running or held.
 */
class HetznerStormIT {
    @TempDir
    Path dir;

    @Test
    void everyJobEndsWithAClearReasonAndNoSpawnMakesTwoServers() throws Exception {
        ProofReport report = HetznerStorm.run(HetznerStorm.Settings.quick(FaultProof.DEFAULT_SEED), dir, System.out);

        report.print(System.out);
        assertTrue(report.ok(), report.toString());
    }
}
