package clf.server.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-requester limits of issue 11: their defaults, and every bad value named at once. */
class RequesterLimitsTest {
    @TempDir
    Path dir;

    Map<String, String> env() {
        return new HashMap<>(Map.of("CLF_DB_PATH", dir.resolve("state.sqlite").toString(), "CLF_CATTLE_ENABLED", "0"));
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        RequesterLimits limits = OrchestratorConfig.fromEnv(env()).limits();

        assertEquals(new RequesterLimits(10, 100, 10, 50, 4L * 1024 * 1024, Duration.ofDays(365)), limits);
    }

    @Test
    void eachLimitIsReadFromItsVariable() {
        Map<String, String> env = env();
        env.putAll(Map.of("CLF_BOT_MAX_PRIORITY", "3", "CLF_MAX_ACTIVE_PER_REQUESTER", "7",
                "CLF_ENQUEUE_RATE_PER_REQUESTER", "2", "CLF_ENQUEUE_BURST_PER_REQUESTER", "5",
                "CLF_MAX_QUEUED_PAYLOAD_BYTES_PER_REQUESTER", "1048576", "CLF_MAX_RUN_AT_AHEAD", "30d"));

        assertEquals(new RequesterLimits(3, 7, 2, 5, 1_048_576, Duration.ofDays(30)), OrchestratorConfig.fromEnv(env).limits());
    }

    @Test
    void badValuesAreNamedTogether() {
        Map<String, String> env = env();
        env.putAll(Map.of("CLF_BOT_MAX_PRIORITY", "-1", "CLF_MAX_ACTIVE_PER_REQUESTER", "0",
                "CLF_ENQUEUE_RATE_PER_REQUESTER", "fast", "CLF_ENQUEUE_BURST_PER_REQUESTER", "0",
                "CLF_MAX_QUEUED_PAYLOAD_BYTES_PER_REQUESTER", "1000", "CLF_MAX_RUN_AT_AHEAD", "3651d"));

        List<String> problems = assertThrows(ConfigException.class, () -> OrchestratorConfig.fromEnv(env)).problems();

        assertEquals(List.of(
                "CLF_BOT_MAX_PRIORITY: an integer from 0 to 1000000, got '-1'",
                "CLF_MAX_ACTIVE_PER_REQUESTER: an integer from 1 to 1000000, got '0'",
                "CLF_ENQUEUE_RATE_PER_REQUESTER: an integer from 1 to 100000, got 'fast'",
                "CLF_ENQUEUE_BURST_PER_REQUESTER: an integer from 1 to 1000000, got '0'",
                "CLF_MAX_QUEUED_PAYLOAD_BYTES_PER_REQUESTER: an integer from 262144 to 2147483647, got '1000'",
                "CLF_MAX_RUN_AT_AHEAD: at most 3650d, got '3651d'"), problems);
    }
}
