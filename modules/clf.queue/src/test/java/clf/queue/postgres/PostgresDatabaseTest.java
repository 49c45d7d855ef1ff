package clf.queue.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.queue.StoreException;
import clf.queue.sql.Schema;
import clf.testing.PostgresCluster;
import clf.testing.Race;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared-store seam on a real PostgreSQL: logins, transactions, versioned schemas. */
class PostgresDatabaseTest {
    private static final Schema NOTES = new Schema("notes", List.of(
            "CREATE TABLE notes (id BIGSERIAL PRIMARY KEY, text TEXT NOT NULL)",
            """
            ALTER TABLE notes ADD COLUMN at BIGINT;
            CREATE FUNCTION notes_count() RETURNS BIGINT LANGUAGE plpgsql AS $$
            BEGIN
              RETURN (SELECT count(*) FROM notes);
            END;
            $$;
            """));

    PostgresCluster cluster;
    PostgresAddress address;

    @BeforeEach
    void database() {
        cluster = PostgresCluster.shared();
        address = PostgresAddress.parse("CLF_DATABASE_URL", cluster.url(cluster.createDatabase()));
    }

    private PostgresDatabase open() {
        return PostgresDatabase.open(address, cluster.password(), 4, Duration.ofSeconds(5));
    }

    @Test
    void migratesOnceEvenWhenHostsStartTogether() throws Exception {
        List<PostgresDatabase> hosts = List.of(open(), open(), open(), open());
        try {
            assertEquals(java.util.Map.of("migrated", 4), Race.count(hosts.size(), i -> {
                hosts.get(i).migrate(NOTES);
                return "migrated";
            }));
            assertEquals("2", cluster.psql(address.database(), "SELECT version FROM clf_schema_versions WHERE name = 'notes'"));
            hosts.get(0).write(session -> session.prepare("INSERT INTO notes (text, at) VALUES ('a', 1)").executeUpdate());
            assertEquals(1L, (long) hosts.get(1).<Long>read(session -> session.queryLong("SELECT notes_count()").orElseThrow()));
        } finally {
            hosts.forEach(PostgresDatabase::close);
        }
    }

    @Test
    void refusesASchemaFromANewerClf() {
        try (PostgresDatabase database = open()) {
            database.migrate(NOTES);
            Schema older = new Schema("notes", NOTES.steps().subList(0, 1));
            StoreException e = assertThrows(StoreException.class, () -> database.migrate(older));
            assertTrue(e.getMessage().contains("written by a newer clf (notes schema version 2; this clf knows up to 1)"),
                    e.getMessage());
        }
    }

    @Test
    void aFailedTransactionLeavesNothingBehind() {
        try (PostgresDatabase database = open()) {
            database.migrate(NOTES);
            assertThrows(IllegalStateException.class, () -> database.write(session -> {
                session.prepare("INSERT INTO notes (text) VALUES ('half')").executeUpdate();
                throw new IllegalStateException("handler failed");
            }));
            StoreException e = assertThrows(StoreException.class, () -> database.write(session ->
                    session.prepare("INSERT INTO notes (text) VALUES (NULL)").executeUpdate()));
            assertEquals(StoreException.Reason.OTHER, e.reason());
            assertEquals(0L, (long) database.<Long>read(session -> session.queryLong("SELECT count(*) FROM notes").orElseThrow()));
        }
    }

    @Test
    void aWrongPasswordIsRefusedWithoutShowingIt() {
        StoreException e = assertThrows(StoreException.class,
                () -> PostgresDatabase.open(address, "not-the-password", 1, Duration.ofSeconds(5)));
        assertEquals(StoreException.Reason.UNAVAILABLE, e.reason());
        assertTrue(e.getMessage().contains("refused the login"), e.getMessage());
        assertFalse(e.getMessage().contains("not-the-password"), e.getMessage());
    }

    @Test
    void aServerThatIsNotThereIsUnavailable() {
        PostgresAddress nowhere = PostgresAddress.parse("CLF_DATABASE_URL",
                "postgresql://clf@/clf?host=" + cluster.socketDir() + "&port=1");
        StoreException e = assertThrows(StoreException.class,
                () -> PostgresDatabase.open(nowhere, cluster.password(), 1, Duration.ofSeconds(5)));
        assertEquals(StoreException.Reason.UNAVAILABLE, e.reason());
    }
}
