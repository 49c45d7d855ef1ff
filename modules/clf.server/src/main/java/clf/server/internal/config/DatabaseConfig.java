package clf.server.internal.config;

import clf.protocol.InvalidInputException;
import clf.queue.postgres.PostgresAddress;

/**
 * Which database holds the daemon's stores (jobs, bootstrap tokens, capacity): without
 * {@value #URL}, this host's SQLite files at {@code CLF_DB_PATH} as always; with it, the fleet's
 * shared PostgreSQL, one pool of at most {@code connections} connections for all three stores.
 * The password is not configuration: it is the secret {@value #PASSWORD}, read when the daemon
 * connects (a systemd credential of that name, or the environment), never from the URL.
 *
 * @param postgres    the shared server; null for SQLite
 * @param connections most connections this daemon holds to it ({@value #CONNECTIONS})
 */
public record DatabaseConfig(PostgresAddress postgres, int connections) {
    public static final String URL = "CLF_DATABASE_URL";
    public static final String PASSWORD = "CLF_DATABASE_PASSWORD";
    public static final String CONNECTIONS = "CLF_DATABASE_CONNECTIONS";
    public static final int DEFAULT_CONNECTIONS = 8;

    static DatabaseConfig fromEnv(EnvReader read) {
        // Two at least: the job store's claim and a bot's enqueue must not wait for each other.
        int connections = read.integer(CONNECTIONS, DEFAULT_CONNECTIONS, 2, 200);
        String url = read.string(URL, null);
        if (url == null) {
            return new DatabaseConfig(null, connections);
        }
        try {
            return new DatabaseConfig(PostgresAddress.parse(URL, url), connections);
        } catch (InvalidInputException e) {
            read.problem(e.getMessage()); // names the variable already, and never echoes a password
            return new DatabaseConfig(null, connections);
        }
    }

    /** Whether the stores live in the fleet's shared PostgreSQL. */
    public boolean shared() {
        return postgres != null;
    }
}
