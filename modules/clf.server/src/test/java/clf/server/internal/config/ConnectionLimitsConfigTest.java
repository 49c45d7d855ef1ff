package clf.server.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CLF_MAX_CONNECTIONS and CLF_MAX_CONNECTIONS_PER_UID: defaults, ranges, and the one above the other. */
class ConnectionLimitsConfigTest {
    @TempDir
    Path dir;

    Map<String, String> env(String... pairs) {
        return CattleConfigTest.withoutCattle(dir, pairs);
    }

    @Test
    void defaultsLeaveRoomForEightUsersAtTheirCap() {
        OrchestratorConfig config = OrchestratorConfig.fromEnv(env());
        assertEquals(256, config.maxConnections());
        assertEquals(32, config.maxConnectionsPerUid());
    }

    @Test
    void thePerUserCapIsReadAndMustStayBelowTheTotal() {
        assertEquals(8, OrchestratorConfig.fromEnv(env("CLF_MAX_CONNECTIONS_PER_UID", "8")).maxConnectionsPerUid());
        assertEquals(List.of("CLF_MAX_CONNECTIONS_PER_UID: less than CLF_MAX_CONNECTIONS (256), so one Unix user at"
                + " its cap leaves room for the others, got '256'"),
                CattleConfigTest.problems(env("CLF_MAX_CONNECTIONS_PER_UID", "256")));
        assertEquals(List.of("CLF_MAX_CONNECTIONS_PER_UID: less than CLF_MAX_CONNECTIONS (16), so one Unix user at"
                + " its cap leaves room for the others, got '32'"),
                CattleConfigTest.problems(env("CLF_MAX_CONNECTIONS", "16")));
        assertEquals(List.of("CLF_MAX_CONNECTIONS_PER_UID: an integer from 1 to 4095, got '0'"),
                CattleConfigTest.problems(env("CLF_MAX_CONNECTIONS_PER_UID", "0")));
        assertEquals(List.of("CLF_MAX_CONNECTIONS_PER_UID: an integer from 1 to 4095, got 'many'"),
                CattleConfigTest.problems(env("CLF_MAX_CONNECTIONS_PER_UID", "many")));
    }
}
