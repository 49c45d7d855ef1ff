package clf.queue.postgres;

import clf.protocol.InvalidInputException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Where the shared PostgreSQL store is: a libpq-style URL such as
 * {@code postgresql://clf@db.tailnet:5432/clf?sslmode=verify-full} or, over the server's Unix
 * socket, {@code postgresql:///clf?host=/run/postgresql}. The password never comes in the URL (it
 * would sit in the environment and in every log line that names the store); it is read from a
 * credential file and handed over separately.
 *
 * @param user      role to log in as (null: the driver's default, the OS user)
 * @param host      TCP host name, or null with {@code socketDir} set
 * @param socketDir directory of the server's Unix socket ({@code .s.PGSQL.<port>}), or null for TCP
 * @param port      server port (also names the Unix socket file)
 * @param database  database name
 * @param sslMode   libpq's sslmode for TCP ({@code disable}, {@code require}, {@code verify-ca},
 *                  {@code verify-full}); Unix sockets are never encrypted
 * @param sslRootCert CA file for {@code verify-ca}/{@code verify-full}, or null for the driver's default
 * @param connectTimeoutSeconds how long a connection attempt may take
 */
public record PostgresAddress(String user, String host, Path socketDir, int port, String database, String sslMode,
                              String sslRootCert, int connectTimeoutSeconds) {
    /** Where Debian's and NixOS's PostgreSQL put their Unix socket. */
    public static final Path DEFAULT_SOCKET_DIR = Path.of("/run/postgresql");
    public static final int DEFAULT_PORT = 5432;
    private static final Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
    private static final Set<String> PARAMETERS = Set.of("host", "port", "user", "sslmode", "sslrootcert", "connect_timeout");

    /**
     * Reads {@code url} ({@code postgresql://} or {@code postgres://}).
     *
     * @param field the variable it came from, named in every refusal
     * @throws InvalidInputException naming {@code field} and what was expected
     */
    public static PostgresAddress parse(String field, String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new InvalidInputException(field, "a URL postgresql://[user@][host][:port]/database[?host=/socket/dir]",
                    url);
        }
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
            throw new InvalidInputException(field, "a URL that starts with postgresql://", url);
        }
        // The authority by hand: java.net.URI leaves "user@" with no host (a socket URL) unparsed.
        String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
        int at = authority.lastIndexOf('@');
        String userInfo = at < 0 ? null : URLDecoder.decode(authority.substring(0, at), StandardCharsets.UTF_8);
        String hostPort = at < 0 ? authority : authority.substring(at + 1);
        if (userInfo != null && userInfo.contains(":")) {
            // Not echoed: the value holds a password.
            throw new InvalidInputException(field, "no password in the URL (give it in the database password file)",
                    "a URL with user:password");
        }
        Map<String, String> query = query(field, uri.getRawQuery(), url);
        String path = uri.getPath() == null ? "" : uri.getPath();
        String database = path.startsWith("/") ? path.substring(1) : path;
        if (database.isEmpty() || database.contains("/")) {
            throw new InvalidInputException(field, "a database name after the host (postgresql://host/clf)", url);
        }
        String user = query.getOrDefault("user", userInfo == null || userInfo.isEmpty() ? null : userInfo);
        String host = hostPort.isEmpty() ? null : hostPort;
        int port = DEFAULT_PORT;
        int colon = hostPort.lastIndexOf(':');
        if (colon >= 0 && colon > hostPort.lastIndexOf(']')) {
            port = number(field, "port", hostPort.substring(colon + 1), 1, 65535);
            host = colon == 0 ? null : hostPort.substring(0, colon);
        }
        if (host != null && host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (query.containsKey("port")) {
            port = number(field, "port", query.get("port"), 1, 65535);
        }
        Path socketDir = null;
        String hostParameter = query.get("host");
        if (hostParameter != null) {
            if (!hostParameter.startsWith("/")) {
                host = hostParameter;
            } else {
                socketDir = Path.of(hostParameter).normalize();
                host = null;
            }
        }
        if (host == null && socketDir == null) {
            socketDir = DEFAULT_SOCKET_DIR;
        }
        String sslMode = query.getOrDefault("sslmode", socketDir != null ? "disable" : "prefer");
        if (!SSL_MODES.contains(sslMode)) {
            throw new InvalidInputException(field, "sslmode one of " + String.join(", ", SSL_MODES.stream().sorted().toList()),
                    sslMode);
        }
        int connectTimeout = query.containsKey("connect_timeout")
                ? number(field, "connect_timeout", query.get("connect_timeout"), 1, 300) : 10;
        return new PostgresAddress(user, host, socketDir, port, database, sslMode, query.get("sslrootcert"),
                connectTimeout);
    }

    private static Map<String, String> query(String field, String raw, String url) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return parameters;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (!PARAMETERS.contains(name)) {
                throw new InvalidInputException(field, "parameters among " + String.join(", ", PARAMETERS.stream().sorted().toList()),
                        name);
            }
            parameters.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return parameters;
    }

    private static int number(String field, String name, String text, int min, int max) {
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new InvalidInputException(field + " " + name, "a whole number from " + min + " to " + max, text);
    }

    /** The Unix socket file of the server, or null over TCP. */
    public Path socketFile() {
        return socketDir == null ? null : socketDir.resolve(".s.PGSQL." + port);
    }

    /** The address without any secret, for logs, status and errors. */
    public String display() {
        String who = user == null ? "" : user + "@";
        return socketDir == null
                ? "postgresql://" + who + host + ":" + port + "/" + database
                : "postgresql://" + who + "/" + database + " (socket " + socketFile() + ")";
    }

    String jdbcUrl() {
        // Over a Unix socket the host part is only a placeholder: the socket factory connects.
        return "jdbc:postgresql://" + (socketDir == null ? bracketed(host) : "localhost") + ":" + port + "/" + database;
    }

    private static String bracketed(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** The driver's connection properties; {@code password} may be null (peer or trust authentication). */
    Properties jdbcProperties(String password) {
        Properties properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("ApplicationName", "clf-orchestrator");
        properties.setProperty("connectTimeout", Integer.toString(connectTimeoutSeconds));
        properties.setProperty("loginTimeout", Integer.toString(connectTimeoutSeconds));
        properties.setProperty("tcpKeepAlive", "true");
        // No Kerberos: a GSS attempt would look for tickets the daemon never has.
        properties.setProperty("gssEncMode", "disable");
        properties.setProperty("sslmode", sslMode);
        if (sslRootCert != null) {
            properties.setProperty("sslrootcert", sslRootCert);
        }
        if (socketDir != null) {
            properties.setProperty("socketFactory", "org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg");
            properties.setProperty("socketFactoryArg", socketFile().toString());
            properties.setProperty("sslmode", "disable");
        }
        return properties;
    }
}
