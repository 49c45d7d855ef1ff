package clf.image;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash fault proof in small ({@link CrashLoad.Settings#quick}: ten SIGKILLs of the real
 * daemon under load); {@link FaultProof} runs the full hundred. Every invariant must hold: no
 * job lost or completed twice, no duplicate or leaked server, no capacity left held.
 */
class CrashLoadIT {
    @TempDir
    Path dir;

    @Test
    void tenSigkillsUnderLoadLoseNothingAndDoubleNothing() throws Exception {
        ProofReport report = CrashLoad.run(CrashLoad.Settings.quick(FaultProof.DEFAULT_SEED), dir, System.out);

        report.print(System.out);
        assertTrue(report.ok(), report.toString());
    }
}
