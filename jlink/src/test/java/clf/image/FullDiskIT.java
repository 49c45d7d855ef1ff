package clf.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import clf.testing.Tmpfs;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario C of {@link ReliabilityHarness} in the normal suite: the state directory on a small
 * real tmpfs that fills up while the daemon runs (skipped, saying why, where no tmpfs can be
 * had). See {@link FullDiskRun}.
 */
class FullDiskIT {
    @TempDir
    Path dir;

    @Test
    void aFullDiskIsA503ThatSaysSoLosesNothingAndHealsWithoutARestart() throws Exception {
        try (Tmpfs tmpfs = Tmpfs.mountOrSkip(dir.resolve("disk"), FullDiskRun.SIZE)) {
            FullDiskRun.Result result = FullDiskRun.run(dir, tmpfs, System.out);

            result.print(System.out);
            assertEquals(List.of(), result.problems());
        }
    }
}
