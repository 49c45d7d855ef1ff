package clf.server.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CLF_HETZNER_RESERVE_PERCENT: 10 by default, 0 to 90. */
class HetznerReserveConfigTest {
    @TempDir
    Path dir;

    Map<String, String> env(String value) {
        Map<String, String> env = new HashMap<>(Map.of("CLF_DB_PATH", dir.resolve("state.sqlite").toString(),
                "CLF_CATTLE_ENABLED", "0"));
        if (value != null) {
            env.put("CLF_HETZNER_RESERVE_PERCENT", value);
        }
        return env;
    }

    @Test
    void readsThePercentage() {
        assertEquals(10, OrchestratorConfig.fromEnv(env(null)).hetznerReservePercent());
        assertEquals(0, OrchestratorConfig.fromEnv(env("0")).hetznerReservePercent());
        assertEquals(90, OrchestratorConfig.fromEnv(env("90")).hetznerReservePercent());
    }

    @Test
    void refusesWhatIsNotAShareThatLeavesRoom() {
        assertEquals(List.of("CLF_HETZNER_RESERVE_PERCENT: an integer from 0 to 90, got '95'"),
                CattleConfigTest.problems(env("95")));
        assertEquals(List.of("CLF_HETZNER_RESERVE_PERCENT: an integer from 0 to 90, got '10%'"),
                CattleConfigTest.problems(env("10%")));
    }
}
