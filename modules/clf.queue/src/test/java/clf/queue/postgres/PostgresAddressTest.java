package clf.queue.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.protocol.InvalidInputException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PostgresAddressTest {
    private static PostgresAddress parse(String url) {
        return PostgresAddress.parse("CLF_DATABASE_URL", url);
    }

    @Test
    void readsATcpAddress() {
        PostgresAddress a = parse("postgresql://clf@db.tailnet:6543/fleet?sslmode=verify-full&sslrootcert=/etc/ca.pem");
        assertEquals("clf", a.user());
        assertEquals("db.tailnet", a.host());
        assertNull(a.socketDir());
        assertEquals(6543, a.port());
        assertEquals("fleet", a.database());
        assertEquals("jdbc:postgresql://db.tailnet:6543/fleet", a.jdbcUrl());
        assertEquals("verify-full", a.jdbcProperties(null).getProperty("sslmode"));
        assertEquals("postgresql://clf@db.tailnet:6543/fleet", a.display());
    }

    @Test
    void readsASocketAddressAndDefaults() {
        PostgresAddress a = parse("postgresql://clf@/fleet?host=/run/pg&port=5433");
        assertEquals(Path.of("/run/pg/.s.PGSQL.5433"), a.socketFile());
        assertEquals("/run/pg/.s.PGSQL.5433", a.jdbcProperties("pw").getProperty("socketFactoryArg"));
        assertEquals("disable", a.jdbcProperties("pw").getProperty("sslmode"));
        PostgresAddress local = parse("postgres:///clf");
        assertNull(local.user());
        assertEquals(Path.of("/run/postgresql/.s.PGSQL.5432"), local.socketFile());
        assertEquals("::1", parse("postgresql://[::1]:5432/clf").host());
        assertEquals("jdbc:postgresql://[::1]:5432/clf", parse("postgresql://[::1]/clf").jdbcUrl());
    }

    @Test
    void refusesAPasswordInTheUrlWithoutEchoingIt() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> parse("postgresql://clf:hunter2@db/clf"));
        assertTrue(e.getMessage().contains("no password in the URL"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void namesWhatIsWrong() {
        assertTrue(assertThrows(InvalidInputException.class, () -> parse("mysql://db/clf")).getMessage()
                .contains("postgresql://"));
        assertTrue(assertThrows(InvalidInputException.class, () -> parse("postgresql://db/")).getMessage()
                .contains("a database name"));
        assertTrue(assertThrows(InvalidInputException.class, () -> parse("postgresql://db/clf?sslmode=maybe"))
                .getMessage().contains("sslmode"));
        assertTrue(assertThrows(InvalidInputException.class, () -> parse("postgresql://db/clf?options=-c%20x"))
                .getMessage().contains("parameters among"));
        assertTrue(assertThrows(InvalidInputException.class, () -> parse("postgresql://db:99999/clf"))
                .getMessage().contains("port"));
    }
}
