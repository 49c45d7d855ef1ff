package clf.secrets;

import static clf.secrets.BootstrapTokensTest.GRANT;
import static clf.secrets.BootstrapTokensTest.OPENAI;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.testing.HostTool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is about a host's own token file (SQLite): its owner, its bytes, its write lock. */
class BootstrapTokenFileTest {
    static final Clock AT_T0 = Clock.fixed(BootstrapTokensTest.T0, java.time.ZoneOffset.UTC);

    @TempDir
    Path dir;
    BootstrapTokens tokens;

    @BeforeEach
    void open() {
        tokens = BootstrapTokens.open(dir.resolve("state/tokens.sqlite"), AT_T0);
    }

    @AfterEach
    void close() {
        tokens.close();
    }

    @Test
    void anUnknownTokenIsRefusedWithoutWaitingForTheWriteLock() throws Exception {
        String real = tokens.issue(GRANT, Duration.ofMinutes(10)).token().reveal();
        try (java.sql.Connection writer = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("state/tokens.sqlite"));
                java.sql.Statement statement = writer.createStatement()) {
            statement.execute("BEGIN IMMEDIATE"); // another writer holds the lock (the store waits up to 10 s)

            Redemption outcome = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(5),
                    () -> BootstrapTokensTest.redeem(tokens, "f".repeat(64), OPENAI));

            assertEquals("unknown token", ((Redemption.Refused) outcome).reason());
            statement.execute("ROLLBACK");
        }
        assertInstanceOf(Redemption.Redeemed.class, BootstrapTokensTest.redeem(tokens, real, OPENAI));
    }

    @Test
    void aTokenFilePlantedByAnotherUserIsRefused() throws Exception {
        HostTool.requireRoot("to give a file to another user");
        tokens.close();
        Path file = dir.resolve("state/tokens.sqlite");
        Files.setAttribute(file, "unix:uid", 4299, java.nio.file.LinkOption.NOFOLLOW_LINKS);

        clf.queue.StoreException refused = assertThrows(clf.queue.StoreException.class,
                () -> BootstrapTokens.open(file, Clock.systemUTC()));

        assertTrue(refused.getMessage().startsWith("database file is owned by uid 4299"), refused.getMessage());
        Files.setAttribute(file, "unix:uid", 0, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        tokens = BootstrapTokens.open(file, Clock.systemUTC());
    }

    @Test
    void onlyTheHashIsStored() throws Exception {
        String token = tokens.issue(GRANT, Duration.ofMinutes(10)).token().reveal();
        String reported = tokens.issue(GRANT, Duration.ofMinutes(10), BootstrapTokensTest.SERVER_EXPIRES).token().reveal();
        String credential = assertInstanceOf(Redemption.Redeemed.class, BootstrapTokensTest.redeem(tokens, reported, OPENAI))
                .report().token().reveal();
        tokens.close();

        try (Stream<Path> files = Files.list(dir.resolve("state"))) {
            for (Path file : files.toList()) {
                String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                assertFalse(bytes.contains(token), file + " holds the plain token");
                assertFalse(bytes.contains(credential), file + " holds the plain report credential");
                assertFalse(bytes.contains("sk-test"), file + " holds a secret value");
            }
        }
        tokens = BootstrapTokens.open(dir.resolve("state/tokens.sqlite"), Clock.systemUTC());
    }

    @Test
    void aClosedTokenFileSaysSoNamingItselfNotTheJobQueue() {
        tokens.close();

        clf.queue.StoreException refused = assertThrows(clf.queue.StoreException.class,
                () -> tokens.issue(GRANT, Duration.ofMinutes(1)));
        assertEquals("bootstrap tokens database is closed: " + dir.resolve("state/tokens.sqlite"), refused.getMessage());
    }
}
