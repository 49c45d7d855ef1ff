package clf.secrets;

import clf.queue.sql.Schema;
import clf.queue.sql.Session;
import clf.queue.sql.SqlDatabase;
import clf.queue.sql.SqlEngine;
import clf.queue.sqlite.Database;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * One-time bootstrap tokens: 32 random bytes, handed to a VM in its user_data, traded once for
 * the VM's environment. Only the SHA-256 of a token is stored. Redemption is one write
 * transaction, so of any number of concurrent attempts with one token exactly one succeeds; a
 * token is used up only when the answer could be built.
 *
 * <p>The redemption also hands the VM a report credential (issue 13): 32 more random bytes,
 * stored as a SHA-256 in the same file, bound to the token's job and server, valid until the
 * server's expires-at label, with which its agent reports the task's outcome
 * ({@link #authenticateReport}). One mechanism for both secrets a VM holds.
 *
 * <p>The tables live in a host's own SQLite file ({@link #open(Path, Clock)}) or in the fleet's
 * shared PostgreSQL ({@link #open(SqlDatabase, Clock)}), where every orchestrator of the fleet
 * issues and redeems: a VM may reach any of them, and a token still buys its env once.
 */
public final class BootstrapTokens implements AutoCloseable {
    // Jackson jr is used as JSON.std where needed, not through a static field: the daemon's
    // configuration reads these bounds, and initializing this class for them must not
    // initialize Jackson (and with it the JVM's time-zone data) on the way to the bot socket.
    public static final Duration MIN_TTL = Duration.ofSeconds(30);
    public static final Duration MAX_TTL = Duration.ofMinutes(15);
    /** A token's length: 32 random bytes in hex. */
    public static final int TOKEN_CHARS = 64;
    private static final Schema SQLITE_SCHEMA = new Schema("bootstrap tokens", List.of("""
            CREATE TABLE bootstrap_tokens (
              token_hash     TEXT    PRIMARY KEY,  -- lower-case hex SHA-256 of the token
              job_id         TEXT    NOT NULL,
              requester      TEXT    NOT NULL,
              cattle_name    TEXT    NOT NULL,
              secret_groups  TEXT    NOT NULL,     -- JSON [[alias, …], …]
              public_env     TEXT    NOT NULL,     -- JSON {name: value}
              ttl_ms         INTEGER NOT NULL,
              created_at     INTEGER NOT NULL,
              expires_at     INTEGER NOT NULL,
              used_at        INTEGER
            );
            CREATE INDEX bootstrap_tokens_by_job ON bootstrap_tokens (job_id);
            CREATE INDEX bootstrap_tokens_by_expiry ON bootstrap_tokens (expires_at);
            """, """
            ALTER TABLE bootstrap_tokens ADD COLUMN server_expires_at INTEGER;
            CREATE TABLE report_credentials (
              credential_hash TEXT    PRIMARY KEY,  -- lower-case hex SHA-256 of the credential
              job_id          TEXT    NOT NULL,
              cattle_name     TEXT    NOT NULL,
              created_at      INTEGER NOT NULL,
              expires_at      INTEGER NOT NULL      -- the server's expires-at label
            );
            CREATE INDEX report_credentials_by_expiry ON report_credentials (expires_at);
            """));
    /** SQLite's two steps in one, with PostgreSQL's types: times are epoch milliseconds. */
    private static final Schema POSTGRES_SCHEMA = new Schema(SQLITE_SCHEMA.name(), List.of("""
            CREATE TABLE bootstrap_tokens (
              token_hash        TEXT   PRIMARY KEY,
              job_id            TEXT   NOT NULL,
              requester         TEXT   NOT NULL,
              cattle_name       TEXT   NOT NULL,
              secret_groups     TEXT   NOT NULL,
              public_env        TEXT   NOT NULL,
              ttl_ms            BIGINT NOT NULL,
              created_at        BIGINT NOT NULL,
              expires_at        BIGINT NOT NULL,
              used_at           BIGINT,
              server_expires_at BIGINT
            );
            CREATE INDEX bootstrap_tokens_by_job ON bootstrap_tokens (job_id);
            CREATE INDEX bootstrap_tokens_by_expiry ON bootstrap_tokens (expires_at);
            CREATE TABLE report_credentials (
              credential_hash TEXT   PRIMARY KEY,
              job_id          TEXT   NOT NULL,
              cattle_name     TEXT   NOT NULL,
              created_at      BIGINT NOT NULL,
              expires_at      BIGINT NOT NULL
            );
            CREATE INDEX report_credentials_by_expiry ON report_credentials (expires_at);
            """));
    /** A report credential's random bytes: 256 bits, sent as 43 characters of unpadded base64url. */
    private static final int REPORT_CREDENTIAL_BYTES = 32;

    private final SqlDatabase database;
    /** False for the fleet's shared database: the daemon closes it after every store on it. */
    private final boolean ownsDatabase;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final LongAdder issued = new LongAdder();
    private final LongAdder redeemed = new LongAdder();
    private final LongAdder revoked = new LongAdder();
    private final Map<TokenStats.Refusal, LongAdder> refused = new EnumMap<>(TokenStats.Refusal.class);

    private BootstrapTokens(SqlDatabase database, boolean ownsDatabase, Clock clock) {
        this.database = database;
        this.ownsDatabase = ownsDatabase;
        this.clock = clock;
        for (TokenStats.Refusal reason : TokenStats.Refusal.values()) {
            refused.put(reason, new LongAdder()); // filled once: read concurrently, never changed
        }
    }

    /** Opens (creating if needed) the token file: 0600 in a 0700 directory, WAL. */
    public static BootstrapTokens open(Path file, Clock clock) {
        return new BootstrapTokens(Database.open(file, Duration.ofSeconds(10), SQLITE_SCHEMA), true, clock);
    }

    /**
     * The tokens in {@code database} (brought up to date first), which other stores share:
     * {@link #close()} leaves it open.
     */
    public static BootstrapTokens open(SqlDatabase database, Clock clock) {
        database.migrate(database.engine() == SqlEngine.POSTGRESQL ? POSTGRES_SCHEMA : SQLITE_SCHEMA);
        return new BootstrapTokens(database, false, clock);
    }

    /**
     * Makes a token for {@code grant}, valid for {@code ttl} from now. Call {@link #startTtlAt}
     * once the server exists, so that the time a create and boot take does not eat the TTL.
     */
    public IssuedToken issue(TokenGrant grant, Duration ttl) {
        return issue(grant, ttl, null);
    }

    /**
     * As {@link #issue(TokenGrant, Duration)}, for a server that the reap deletes at
     * {@code serverExpiresAt}: its redemption also hands out a report credential valid until
     * then. Null: no report credential (as before issue 13).
     */
    public IssuedToken issue(TokenGrant grant, Duration ttl, Instant serverExpiresAt) {
        if (ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("ttl: 30 s to 15 min, got " + ttl.toMillis() + " ms");
        }
        byte[] bytes = new byte[TOKEN_CHARS / 2];
        random.nextBytes(bytes);
        String token = HexFormat.of().formatHex(bytes);
        long now = clock.millis();
        long expiresAt = now + ttl.toMillis();
        database.write(session -> {
            PreparedStatement insert = session.prepare("""
                    INSERT INTO bootstrap_tokens (token_hash, job_id, requester, cattle_name, secret_groups,
                                                  public_env, ttl_ms, created_at, expires_at, server_expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """);
            insert.setString(1, sha256(token));
            insert.setString(2, grant.jobId());
            insert.setString(3, grant.requester());
            insert.setString(4, grant.cattleName());
            insert.setString(5, json(grant.secretGroups()));
            insert.setString(6, json(grant.publicEnv()));
            insert.setLong(7, ttl.toMillis());
            insert.setLong(8, now);
            insert.setLong(9, expiresAt);
            if (serverExpiresAt == null) {
                insert.setNull(10, java.sql.Types.BIGINT);
            } else {
                insert.setLong(10, serverExpiresAt.toEpochMilli());
            }
            insert.executeUpdate();
            return null;
        });
        issued.increment();
        return new IssuedToken(Secret.of(token), Instant.ofEpochMilli(expiresAt));
    }

    /** Restarts the TTL of a job's unused tokens at {@code serverCreatedAt}. */
    public int startTtlAt(String jobId, Instant serverCreatedAt) {
        return database.write(session -> {
            PreparedStatement update = session.prepare(
                    "UPDATE bootstrap_tokens SET expires_at = ? + ttl_ms WHERE job_id = ? AND used_at IS NULL");
            update.setLong(1, serverCreatedAt.toEpochMilli());
            update.setString(2, jobId);
            return update.executeUpdate();
        });
    }

    /** Burns a job's unused tokens (its spawn failed or was canceled). */
    public int revoke(String jobId) {
        int burned = database.write(session -> {
            String least = database.engine() == SqlEngine.POSTGRESQL ? "LEAST" : "min";
            PreparedStatement update = session.prepare("UPDATE bootstrap_tokens SET used_at = ?, expires_at = " + least
                    + "(expires_at, ?) WHERE job_id = ? AND used_at IS NULL");
            long now = clock.millis();
            update.setLong(1, now);
            update.setLong(2, now);
            update.setString(3, jobId);
            return update.executeUpdate();
        });
        revoked.add(burned);
        return burned;
    }

    /**
     * Trades {@code token} for the VM's environment, reading secret values from {@code secrets}.
     *
     * @param check a last look at the grant before the token is used up (e.g. that the caller is
     *              the VM the token was made for); returns a reason to reject, or empty
     */
    public Redemption redeem(String token, SecretSource secrets, Function<TokenGrant, Optional<String>> check) {
        Counted outcome = attemptRedeem(token, secrets, check);
        if (outcome.refusal() == null) {
            redeemed.increment();
        } else {
            refused.get(outcome.refusal()).increment();
        }
        return outcome.redemption();
    }

    /** A redemption and, unless it succeeded, the reason it is counted under. */
    private record Counted(Redemption redemption, TokenStats.Refusal refusal) {
    }

    private Counted attemptRedeem(String token, SecretSource secrets, Function<TokenGrant, Optional<String>> check) {
        if (token == null || token.isBlank()) {
            return new Counted(new Redemption.Refused("no token"), TokenStats.Refusal.INVALID);
        }
        String hash = sha256(token.strip());
        // A read first: a made-up token (the common case of abuse) never waits for, or holds up,
        // the write lock that issuing and redeeming real tokens need.
        Row seen = database.read(session -> find(session, hash, false));
        if (seen == null) {
            return new Counted(new Redemption.Refused("unknown token"), TokenStats.Refusal.INVALID);
        }
        if (seen.invalid != null) {
            return new Counted(new Redemption.Refused(seen.invalid), TokenStats.Refusal.INVALID);
        }
        return database.write(session -> {
            long now = clock.millis();
            // SQLite's write transaction holds the file's one write lock already. PostgreSQL's
            // writers run side by side (on every host of the fleet): the row lock makes a second
            // redemption wait, then read the token as the first left it (used).
            Row row = find(session, hash, database.engine() == SqlEngine.POSTGRESQL);
            if (row == null) {
                return new Counted(new Redemption.Refused("unknown token"), TokenStats.Refusal.INVALID);
            }
            if (row.invalid != null) {
                return new Counted(new Redemption.Refused(row.invalid), TokenStats.Refusal.INVALID);
            }
            if (row.usedAt != null) {
                return new Counted(new Redemption.Refused("token already used (job " + row.grant.jobId() + ")"),
                        TokenStats.Refusal.USED);
            }
            if (row.expiresAt <= now) {
                return new Counted(new Redemption.Refused("token expired (job " + row.grant.jobId() + ")"),
                        TokenStats.Refusal.EXPIRED);
            }
            Optional<String> rejection = check.apply(row.grant);
            if (rejection.isPresent()) {
                return new Counted(new Redemption.Rejected(row.grant, rejection.get()), TokenStats.Refusal.REJECTED);
            }
            Map<String, Secret> env = new LinkedHashMap<>();
            row.grant.publicEnv().forEach((name, value) -> env.put(name, Secret.of(value)));
            List<List<String>> missing = new ArrayList<>();
            for (List<String> group : row.grant.secretGroups()) {
                Optional<Secret> value = group.stream().map(secrets::get).flatMap(Optional::stream).findFirst();
                if (value.isEmpty()) {
                    missing.add(group);
                } else {
                    group.forEach(alias -> env.put(alias, value.get()));
                }
            }
            if (!missing.isEmpty()) {
                return new Counted(new Redemption.MissingSecrets(row.grant, missing), TokenStats.Refusal.MISSING_SECRETS);
            }
            PreparedStatement use = session.prepare(
                    "UPDATE bootstrap_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?");
            use.setLong(1, now);
            use.setString(2, hash);
            use.setLong(3, now);
            if (use.executeUpdate() != 1) {
                throw new IllegalStateException("token changed inside its own transaction");
            }
            IssuedToken report = row.serverExpiresAt == null || row.serverExpiresAt <= now ? null
                    : issueReport(session, row.grant, now, row.serverExpiresAt);
            return new Counted(new Redemption.Redeemed(row.grant, env, report), null);
        });
    }

    /** Inside the redemption's transaction: the credential exists only if the token is used up. */
    private IssuedToken issueReport(Session session, TokenGrant grant, long now, long expiresAt) throws SQLException {
        byte[] bytes = new byte[REPORT_CREDENTIAL_BYTES];
        random.nextBytes(bytes);
        String credential = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        PreparedStatement insert = session.prepare("""
                INSERT INTO report_credentials (credential_hash, job_id, cattle_name, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?)
                """);
        insert.setString(1, sha256(credential));
        insert.setString(2, grant.jobId());
        insert.setString(3, grant.cattleName());
        insert.setLong(4, now);
        insert.setLong(5, expiresAt);
        insert.executeUpdate();
        return new IssuedToken(Secret.of(credential), Instant.ofEpochMilli(expiresAt));
    }

    /**
     * Who may report with {@code credential}: its job and server while it is valid, else why not
     * (for the operator's log; the caller is told only "invalid or expired"). A read only: a
     * made-up credential never waits for the write lock.
     */
    public ReportAuth authenticateReport(String credential) {
        if (credential == null || credential.isBlank()) {
            return new ReportAuth.Refused("no credential");
        }
        String hash = sha256(credential.strip());
        return database.read(session -> {
            PreparedStatement select = session.prepare(
                    "SELECT job_id, cattle_name, expires_at FROM report_credentials WHERE credential_hash = ?");
            select.setString(1, hash);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return new ReportAuth.Refused("unknown report credential");
                }
                if (row.getLong(3) <= clock.millis()) {
                    return new ReportAuth.Refused("report credential expired (job " + row.getString(1) + ")");
                }
                return new ReportAuth.Valid(row.getString(1), row.getString(2), Instant.ofEpochMilli(row.getLong(3)));
            }
        });
    }

    /**
     * The counters of this process and the number of tokens in the file that expired unused
     * (a range of the expiry index: at most the tokens of the retention period).
     */
    public TokenStats stats() {
        long expiredUnused = database.read(session -> session.queryLong(
                "SELECT count(*) FROM bootstrap_tokens WHERE expires_at <= ? AND used_at IS NULL", clock.millis())
                .orElse(0));
        Map<TokenStats.Refusal, Long> refusals = new EnumMap<>(TokenStats.Refusal.class);
        refused.forEach((reason, count) -> refusals.put(reason, count.sum()));
        return new TokenStats(issued.sum(), redeemed.sum(), revoked.sum(), refusals, expiredUnused);
    }

    /** Deletes tokens that were used or expired before {@code now − olderThan}. */
    public int prune(Duration olderThan) {
        long cutoff = clock.millis() - olderThan.toMillis();
        return database.write(session -> {
            PreparedStatement delete = session.prepare(
                    "DELETE FROM bootstrap_tokens WHERE expires_at < ? OR (used_at IS NOT NULL AND used_at < ?)");
            delete.setLong(1, cutoff);
            delete.setLong(2, cutoff);
            PreparedStatement reports = session.prepare("DELETE FROM report_credentials WHERE expires_at < ?");
            reports.setLong(1, cutoff);
            return delete.executeUpdate() + reports.executeUpdate();
        });
    }

    /** A stored token; {@code invalid} says why its row grants nothing (then {@code grant} is null). */
    private record Row(TokenGrant grant, long expiresAt, Long usedAt, Long serverExpiresAt, String invalid) {
    }

    /** The row of {@code hash}; {@code lock}: locked until the transaction ends (PostgreSQL only). */
    private static Row find(Session session, String hash, boolean lock) throws SQLException {
        PreparedStatement select = session.prepare("""
                SELECT job_id, requester, cattle_name, secret_groups, public_env, expires_at, used_at, server_expires_at
                  FROM bootstrap_tokens WHERE token_hash = ?
                """ + (lock ? " FOR UPDATE" : ""));
        select.setString(1, hash);
        try (ResultSet row = select.executeQuery()) {
            if (!row.next()) {
                return null;
            }
            String jobId = row.getString(1);
            long expiresAt = row.getLong(6);
            long usedAt = row.getLong(7);
            boolean unused = row.wasNull(); // wasNull() speaks of the column read last
            long serverExpiry = row.getLong(8);
            Long serverExpiresAt = row.wasNull() ? null : serverExpiry;
            TokenGrant grant;
            try {
                // The row is re-checked as a grant: one planted or altered in the file buys nothing
                // a spawn could not ask for (never HCLOUD_TOKEN or the Tailscale key).
                grant = new TokenGrant(jobId, row.getString(2), row.getString(3), parseGroups(row.getString(4)),
                        parseEnv(row.getString(5)));
            } catch (IllegalArgumentException | IllegalStateException | ClassCastException e) {
                return new Row(null, expiresAt, unused ? null : usedAt, serverExpiresAt,
                        "token row of job " + jobId + " grants nothing: " + e.getMessage());
            }
            return new Row(grant, expiresAt, unused ? null : usedAt, serverExpiresAt, null);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<List<String>> parseGroups(String json) {
        try {
            return (List<List<String>>) (List<?>) JSON.std.listFrom(json);
        } catch (IOException e) {
            throw new IllegalStateException("stored secret groups do not parse", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> parseEnv(String json) {
        try {
            return (Map<String, String>) (Map<?, ?>) JSON.std.mapFrom(json);
        } catch (IOException e) {
            throw new IllegalStateException("stored public env does not parse", e);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.std.asString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    @Override
    public void close() {
        if (ownsDatabase) {
            database.close();
        }
    }
}
