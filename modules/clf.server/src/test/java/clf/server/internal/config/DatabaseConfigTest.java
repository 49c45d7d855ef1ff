package clf.server.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CLF_DATABASE_URL picks the fleet's PostgreSQL; without it, SQLite at CLF_DB_PATH as before. */
class DatabaseConfigTest {
    @TempDir
    Path dir;

    Map<String, String> env(String... pairs) {
        return CattleConfigTest.withoutCattle(dir, pairs);
    }

    @Test
    void withoutAUrlTheStoresStayInSqliteFiles() {
        OrchestratorConfig config = OrchestratorConfig.fromEnv(env());

        assertFalse(config.database().shared());
        assertNull(config.database().postgres());
        assertEquals(8, config.database().connections());
        assertEquals(dir.resolve("state.sqlite"), config.dbPath());
    }

    @Test
    void aUrlSelectsPostgresqlOverTcpOrItsSocket() {
        DatabaseConfig tcp = OrchestratorConfig.fromEnv(env("CLF_DATABASE_URL",
                "postgresql://clf@db.example:6432/fleet?sslmode=verify-full", "CLF_DATABASE_CONNECTIONS", "16")).database();
        DatabaseConfig socket = OrchestratorConfig.fromEnv(env("CLF_DATABASE_URL", "postgresql:///clf")).database();

        assertTrue(tcp.shared());
        assertEquals("postgresql://clf@db.example:6432/fleet", tcp.postgres().display());
        assertEquals(16, tcp.connections());
        assertEquals("postgresql:///clf (socket /run/postgresql/.s.PGSQL.5432)", socket.postgres().display());
    }

    @Test
    void aBadUrlOrPoolSizeIsNamedWithTheOtherProblems() {
        List<String> problems = CattleConfigTest.problems(env("CLF_DATABASE_URL", "mysql://db/clf",
                "CLF_DATABASE_CONNECTIONS", "1", "CLF_RETENTION_DAYS", "0"));

        assertEquals(List.of("CLF_RETENTION_DAYS: an integer from 1 to 3650, got '0'",
                "CLF_DATABASE_CONNECTIONS: an integer from 2 to 200, got '1'",
                "CLF_DATABASE_URL: a URL that starts with postgresql://, got 'mysql://db/clf'"), problems);
    }

    @Test
    void aPasswordInTheUrlIsRefusedWithoutShowingIt() {
        List<String> problems = CattleConfigTest.problems(env("CLF_DATABASE_URL", "postgresql://clf:hunter2@db/clf"));

        assertEquals(1, problems.size());
        assertTrue(problems.get(0).startsWith("CLF_DATABASE_URL: no password in the URL"), problems.get(0));
        assertFalse(problems.get(0).contains("hunter2"), problems.get(0));
    }
}
