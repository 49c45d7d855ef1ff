package clf.server.internal.cattle;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test class whose tests each run against a fresh {@link CattleRig} in their own temp dir: the
 * rig is made before the subclass's own {@code @BeforeEach} methods run (they can change its
 * settings or seed the simulator, then start it) and closed after its {@code @AfterEach} ones.
 */
public abstract class OnCattleRig {
    @TempDir
    protected Path dir;
    protected CattleRig rig;

    @BeforeEach
    final void openRig() throws Exception {
        rig = new CattleRig(dir);
    }

    @AfterEach
    final void closeRig() {
        rig.close();
    }
}
