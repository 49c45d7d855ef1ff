package clf.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.queue.postgres.PostgresAddress;
import clf.queue.postgres.PostgresDatabase;
import clf.queue.sql.SqlEngine;
import clf.testing.Race;
import clf.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The token store's contract, on a host's SQLite file and on the fleet's shared PostgreSQL
 * (what is about SQLite's file alone is in {@link BootstrapTokenFileTest}).
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(SqlEngine.class)
class BootstrapTokensTest {
    static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");
    static final TokenGrant GRANT = new TokenGrant("job-1", "maren", "cattle-rex-ab12",
            List.of(List.of("OPENAI_API_KEY", "OPEN_AI_APIKEY")), Map.of("CLAWDLETS_CATTLE_AUTO_SHUTDOWN", "0"));
    static final SecretSource OPENAI = new SecretSource(null, Map.of("OPEN_AI_APIKEY", " sk-test ", "OTHER", "x"));

    @Parameter
    SqlEngine engine;
    @TempDir
    Path dir;
    TestDatabase database;
    final List<PostgresDatabase> pools = new ArrayList<>();
    Instant now = T0;
    BootstrapTokens tokens;

    @BeforeEach
    void open() {
        database = TestDatabase.create(engine == SqlEngine.POSTGRESQL, dir);
        tokens = open(new Clock() {
            @Override
            public Instant instant() {
                return now;
            }

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        });
    }

    /** Another opener of the test's store: on PostgreSQL a pool of its own, as another host's. */
    BootstrapTokens open(Clock clock) {
        if (engine == SqlEngine.SQLITE) {
            return BootstrapTokens.open(database.sqliteFile("tokens.sqlite"), clock);
        }
        PostgresDatabase pool = PostgresDatabase.open(PostgresAddress.parse("CLF_DATABASE_URL", database.url()),
                database.password(), 4, Duration.ofSeconds(10));
        pools.add(pool);
        return BootstrapTokens.open(pool, clock);
    }

    @AfterEach
    void close() {
        tokens.close();
        pools.forEach(PostgresDatabase::close);
    }

    static Redemption redeem(BootstrapTokens tokens, String token, SecretSource secrets) {
        return tokens.redeem(token, secrets, grant -> Optional.empty());
    }

    @Test
    void aTokenBuysTheEnvOnceWithEveryAliasFilled() {
        IssuedToken issued = tokens.issue(GRANT, Duration.ofMinutes(10));
        assertEquals(64, issued.token().reveal().length());
        assertEquals(T0.plus(Duration.ofMinutes(10)), issued.expiresAt());

        Redemption.Redeemed redeemed = assertInstanceOf(Redemption.Redeemed.class,
                redeem(tokens, issued.token().reveal(), OPENAI));

        assertEquals(List.of("CLAWDLETS_CATTLE_AUTO_SHUTDOWN", "OPENAI_API_KEY", "OPEN_AI_APIKEY"),
                List.copyOf(redeemed.env().keySet()));
        assertEquals("sk-test", redeemed.env().get("OPENAI_API_KEY").reveal());
        assertEquals("sk-test", redeemed.env().get("OPEN_AI_APIKEY").reveal());
        assertFalse(redeemed.env().containsKey("OTHER"), "nothing beyond the grant leaks");
        assertEquals(GRANT, redeemed.grant());
        assertEquals("token already used (job job-1)",
                assertInstanceOf(Redemption.Refused.class, redeem(tokens, issued.token().reveal(), OPENAI)).reason());
    }

    @Test
    void sixtyFourConcurrentRedemptionsOfOneTokenSucceedExactlyOnce() throws Exception {
        String token = tokens.issue(GRANT, Duration.ofMinutes(10)).token().reveal();
        ExecutorService pool = Executors.newFixedThreadPool(64);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Redemption>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return redeem(tokens, token, OPENAI);
                }));
            }
            start.countDown();
            int redeemed = 0;
            int refused = 0;
            for (Future<Redemption> result : results) {
                Redemption redemption = result.get();
                redeemed += redemption instanceof Redemption.Redeemed ? 1 : 0;
                refused += redemption instanceof Redemption.Refused ? 1 : 0;
            }
            assertEquals(1, redeemed);
            assertEquals(63, refused);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void hostsRedeemingOneTokenAtOnceHandOutItsEnvOnce() throws Exception {
        Clock atT0 = Clock.fixed(T0, ZoneOffset.UTC);
        List<BootstrapTokens> hosts = List.of(open(atT0), open(atT0), open(atT0));
        try {
            for (int round = 0; round < 10; round++) {
                String token = tokens.issue(GRANT, Duration.ofMinutes(10)).token().reveal();

                Map<String, Integer> outcomes = Race.count(12, i -> redeem(hosts.get(i % hosts.size()), token, OPENAI)
                        .getClass().getSimpleName());

                assertEquals(Map.of("Redeemed", 1, "Refused", 11), outcomes, "round " + round);
            }
        } finally {
            hosts.forEach(BootstrapTokens::close);
        }
    }

    @Test
    void anExpiredTokenIsRefusedAndTheTtlCountsFromServerCreation() {
        String token = tokens.issue(GRANT, Duration.ofMinutes(10)).token().reveal();
        assertEquals(1, tokens.startTtlAt("job-1", T0.plus(Duration.ofMinutes(3))));

        now = T0.plus(Duration.ofMinutes(12));
        assertInstanceOf(Redemption.Redeemed.class, redeem(tokens, token, OPENAI),
                "created at +3 min, so valid until +13 min");

        String late = tokens.issue(GRANT, Duration.ofSeconds(30)).token().reveal();
        now = now.plusSeconds(30);
        assertTrue(((Redemption.Refused) redeem(tokens, late, OPENAI)).reason().startsWith("token expired"));
    }

    @Test
    void aMissingSecretDoesNotBurnTheToken() {
        String token = tokens.issue(GRANT, Duration.ofMinutes(10)).token().reveal();

        Redemption.MissingSecrets missing = assertInstanceOf(Redemption.MissingSecrets.class,
                redeem(tokens, token, new SecretSource(null, Map.of())));
        assertEquals(List.of(List.of("OPENAI_API_KEY", "OPEN_AI_APIKEY")), missing.missing());

        assertInstanceOf(Redemption.Redeemed.class, redeem(tokens, token, OPENAI), "works once the secret is there");
    }

    @Test
    void aRejectedCallerDoesNotBurnTheToken() {
        String token = tokens.issue(GRANT, Duration.ofMinutes(10)).token().reveal();

        Redemption rejected = tokens.redeem(token, OPENAI, grant -> Optional.of("peer is not " + grant.cattleName()));

        assertEquals("peer is not cattle-rex-ab12", assertInstanceOf(Redemption.Rejected.class, rejected).reason());
        assertInstanceOf(Redemption.Redeemed.class, redeem(tokens, token, OPENAI));
    }

    @Test
    void unknownBlankAndRevokedTokensAreRefused() {
        assertEquals("unknown token", ((Redemption.Refused) redeem(tokens, "f".repeat(64), OPENAI)).reason());
        assertEquals("no token", ((Redemption.Refused) redeem(tokens, " ", OPENAI)).reason());
        String token = tokens.issue(GRANT, Duration.ofMinutes(10)).token().reveal();
        assertEquals(1, tokens.revoke("job-1"));
        assertInstanceOf(Redemption.Refused.class, redeem(tokens, token, OPENAI));
    }

    /** A row written into the token file behind the store's back, as an attacker with the file would. */
    void plant(String token, String groupsJson) throws Exception {
        try (java.sql.Connection raw = database.raw("tokens.sqlite");
                java.sql.PreparedStatement insert = raw.prepareStatement("""
                        INSERT INTO bootstrap_tokens (token_hash, job_id, requester, cattle_name, secret_groups,
                                                      public_env, ttl_ms, created_at, expires_at)
                        VALUES (?, 'job-9', 'maren', 'cattle-rex-9', ?, '{}', 600000, ?, ?)
                        """)) {
            insert.setString(1, BootstrapTokens.sha256(token));
            insert.setString(2, groupsJson);
            insert.setLong(3, T0.toEpochMilli());
            insert.setLong(4, T0.plus(Duration.ofMinutes(10)).toEpochMilli());
            insert.executeUpdate();
        }
    }

    @Test
    void aPlantedRowAskingForTheHetznerOrTailscaleKeyBuysNothing() throws Exception {
        SecretSource everything = new SecretSource(null, Map.of("HCLOUD_TOKEN", "hc-secret",
                "TAILSCALE_AUTH_KEY", "ts-secret", "OPENAI_API_KEY", "sk-test", "GITHUB_TOKEN", "gh-secret"));
        String[] rows = {
            "[[\"HCLOUD_TOKEN\"]]",
            "[[\"OPENAI_API_KEY\",\"OPEN_AI_APIKEY\"],[\"TAILSCALE_AUTH_KEY\"]]",
            "[[\"OPENAI_API_KEY\",\"HCLOUD_TOKEN\"]]",
            "[[\"OPENAI_API_KEY\"]]",
            "[[\"GITHUB_TOKEN\"],[\"GITHUB_TOKEN\"]]",
            "[[\"OPENAI_API_KEY\",\"OPEN_AI_APIKEY\"],[\"ANTHROPIC_API_KEY\"]]",
            "[[7]]",
            "{\"HCLOUD_TOKEN\":1}"};
        for (int i = 0; i < rows.length; i++) {
            String token = Integer.toString(i).repeat(64);
            plant(token, rows[i]);

            Redemption outcome = redeem(tokens, token, everything);

            Redemption.Refused refused = assertInstanceOf(Redemption.Refused.class, outcome, rows[i]);
            assertTrue(refused.reason().startsWith("token row of job job-9 grants nothing: "), refused.reason());
            assertFalse(refused.reason().matches("(?s).*(hc|ts|gh)-secret.*"), "no value in the reason: " + refused.reason());
        }
        plant("a".repeat(64), "[[\"OPENAI_API_KEY\",\"OPEN_AI_APIKEY\"],[\"GITHUB_TOKEN\"]]");
        Redemption.Redeemed fair = assertInstanceOf(Redemption.Redeemed.class, redeem(tokens, "a".repeat(64), everything));
        assertEquals(List.of("OPENAI_API_KEY", "OPEN_AI_APIKEY", "GITHUB_TOKEN"), List.copyOf(fair.env().keySet()),
                "what a spawn may ask for still works");
    }

    @Test
    void aGrantNamesOnlyOneProvidersKeyAndTheGithubToken() {
        for (List<List<String>> groups : List.of(List.of(List.of("HCLOUD_TOKEN")), List.of(List.of("TAILSCALE_AUTH_KEY")),
                List.of(List.of("OPENAI_API_KEY")), List.of(List.of("ANTHROPIC_API_KEY"), List.of("ZAI_API_KEY", "Z_AI_API_KEY")))) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> new TokenGrant("j", "r", "c", groups, Map.of()), groups.toString());
            assertTrue(refused.getMessage().startsWith("secretGroups: "), refused.getMessage());
        }
        new TokenGrant("j", "r", "c", List.of(List.of("ANTHROPIC_API_KEY"), List.of("GITHUB_TOKEN")), Map.of());
    }

    // The report credential (issue 13 §2): made by the redemption, valid until the server's expiry.

    static final Instant SERVER_EXPIRES = T0.plus(Duration.ofHours(1));

    IssuedToken redeemedReport() {
        String token = tokens.issue(GRANT, Duration.ofMinutes(10), SERVER_EXPIRES).token().reveal();
        return assertInstanceOf(Redemption.Redeemed.class, redeem(tokens, token, OPENAI)).report();
    }

    @Test
    void aRedemptionHandsOutAReportCredentialBoundToTheJobAndServerUntilTheServerExpires() {
        IssuedToken report = redeemedReport();
        assertEquals(SERVER_EXPIRES, report.expiresAt());
        assertTrue(report.token().reveal().matches("[A-Za-z0-9_-]{43}"), "32 bytes, base64url");

        assertEquals(new ReportAuth.Valid("job-1", "cattle-rex-ab12", SERVER_EXPIRES),
                tokens.authenticateReport(report.token().reveal()));
        assertEquals(new ReportAuth.Refused("unknown report credential"), tokens.authenticateReport("x" + report.token().reveal()));
        assertEquals(new ReportAuth.Refused("no credential"), tokens.authenticateReport(" "));

        now = SERVER_EXPIRES.minusMillis(1);
        assertInstanceOf(ReportAuth.Valid.class, tokens.authenticateReport(report.token().reveal()));
        now = SERVER_EXPIRES;
        assertEquals(new ReportAuth.Refused("report credential expired (job job-1)"),
                tokens.authenticateReport(report.token().reveal()));
    }

    @Test
    void aTokenWithoutTheServersExpiryOrAFailedRedemptionHandsOutNoCredential() {
        String old = tokens.issue(GRANT, Duration.ofMinutes(10)).token().reveal();
        assertEquals(null, assertInstanceOf(Redemption.Redeemed.class, redeem(tokens, old, OPENAI)).report(),
                "a token from before reports: no credential");

        String token = tokens.issue(GRANT, Duration.ofMinutes(10), SERVER_EXPIRES).token().reveal();
        assertInstanceOf(Redemption.MissingSecrets.class, redeem(tokens, token, new SecretSource(null, Map.of())));
        assertInstanceOf(Redemption.Rejected.class, tokens.redeem(token, OPENAI, grant -> Optional.of("not it")));
        assertEquals(0L, reportRows(), "no credential from refused redemptions or an old token");
        assertInstanceOf(Redemption.Redeemed.class, redeem(tokens, token, OPENAI));
        assertEquals(1L, reportRows());
    }

    long reportRows() {
        try (java.sql.Connection raw = database.raw("tokens.sqlite");
                java.sql.ResultSet rows = raw.createStatement().executeQuery("SELECT count(*) FROM report_credentials")) {
            rows.next();
            return rows.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void pruneDeletesCredentialsOnceTheirServerHasExpiredLongEnough() {
        redeemedReport();
        now = SERVER_EXPIRES.plus(Duration.ofDays(1));
        tokens.prune(Duration.ofDays(2));
        assertEquals(1L, reportRows());
        now = SERVER_EXPIRES.plus(Duration.ofDays(3));
        tokens.prune(Duration.ofDays(2));
        assertEquals(0L, reportRows());
    }

    @Test
    void pruneRemovesUsedAndExpiredTokens() {
        String used = tokens.issue(GRANT, Duration.ofMinutes(1)).token().reveal();
        redeem(tokens, used, OPENAI);
        tokens.issue(GRANT, Duration.ofMinutes(1));
        String fresh;
        now = T0.plus(Duration.ofDays(2));
        fresh = tokens.issue(GRANT, Duration.ofMinutes(1)).token().reveal();

        assertEquals(2, tokens.prune(Duration.ofDays(1)));
        assertInstanceOf(Redemption.Redeemed.class, redeem(tokens, fresh, OPENAI));
    }

    @Test
    void ttlAndGrantsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> tokens.issue(GRANT, Duration.ofSeconds(29)));
        assertThrows(IllegalArgumentException.class, () -> tokens.issue(GRANT, Duration.ofMinutes(16)));
        assertThrows(IllegalArgumentException.class, () -> new TokenGrant("j", "r", "c", List.of(List.of("BAD-NAME")),
                Map.of()));
        IllegalArgumentException notPublic = assertThrows(IllegalArgumentException.class,
                () -> new TokenGrant("j", "r", "c", List.of(), Map.of("OPENAI_API_KEY", "x")));
        assertTrue(notPublic.getMessage().contains("public env must use CLAWDLETS_*"));
    }

    @Test
    void statsCountEveryOutcomeByWhatHappened() {
        String redeemed = tokens.issue(GRANT, Duration.ofMinutes(1)).token().reveal();
        String expiring = tokens.issue(GRANT, Duration.ofMinutes(1)).token().reveal();
        tokens.issue(new TokenGrant("job-2", "maren", "cattle-rex-cd34", List.of(), Map.of()), Duration.ofMinutes(1));
        String revoked = tokens.issue(new TokenGrant("job-3", "maren", "cattle-rex-ef56", List.of(), Map.of()),
                Duration.ofMinutes(1)).token().reveal();
        assertEquals(1, tokens.revoke("job-3"));

        redeem(tokens, redeemed, OPENAI);
        redeem(tokens, redeemed, OPENAI);                                    // used
        redeem(tokens, revoked, OPENAI);                                     // used (revoked)
        redeem(tokens, "f".repeat(64), OPENAI);                              // invalid
        redeem(tokens, " ", OPENAI);                                         // invalid
        redeem(tokens, expiring, new SecretSource(null, Map.of()));          // missing secrets
        tokens.redeem(expiring, OPENAI, grant -> Optional.of("wrong peer")); // rejected
        now = T0.plus(Duration.ofMinutes(2));
        redeem(tokens, expiring, OPENAI);                                    // expired

        TokenStats stats = tokens.stats();

        assertEquals(4, stats.issued());
        assertEquals(1, stats.redeemed());
        assertEquals(1, stats.revoked());
        assertEquals(Map.of(TokenStats.Refusal.INVALID, 2L, TokenStats.Refusal.EXPIRED, 1L,
                TokenStats.Refusal.USED, 2L, TokenStats.Refusal.MISSING_SECRETS, 1L,
                TokenStats.Refusal.REJECTED, 1L), stats.refused());
        assertEquals(2, stats.expiredUnused(), "job-1's second token and job-2's: never redeemed, now past expiry");
    }

    @Test
    void statsStartAtZeroWithEveryReasonListed() {
        TokenStats stats = tokens.stats();

        assertEquals(0, stats.issued() + stats.redeemed() + stats.revoked() + stats.expiredUnused());
        assertEquals(List.of(TokenStats.Refusal.values()), List.copyOf(stats.refused().keySet()));
        assertEquals("missing_secrets", TokenStats.Refusal.MISSING_SECRETS.wireName());
    }
}
