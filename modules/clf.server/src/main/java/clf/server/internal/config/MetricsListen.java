package clf.server.internal.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where {@code CLF_METRICS_LISTEN} (or {@code clf-orchestrator --metrics-listen}) serves
 * {@code GET /metrics} over TCP for a Prometheus that cannot reach the bot socket. Only loopback
 * literals ({@code 127.0.0.0/8}, {@code [::1]}, {@code localhost}): every local user reaches
 * them, and they get the figures and nothing else. Not the tailnet: the cattle VMs, which run
 * bots' agents, are on it. No wildcard, no name resolved through DNS.
 *
 * @param host the address to bind, as a literal
 * @param port 1–65535, or 0 for any free port (tests)
 */
public record MetricsListen(String host, int port) {
    public static final String VARIABLE = "CLF_METRICS_LISTEN";
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[^\\]]+\\]|[^:\\[\\]]+):([0-9]{1,5})");
    private static final Pattern LITERAL = Pattern.compile("[0-9.]+|\\[[0-9a-fA-F:.]+\\]");

    /** Reads {@link #VARIABLE}; null when unset or blank (no metrics listener). */
    public static MetricsListen fromEnv(EnvReader read) {
        return read.parsed(VARIABLE, null, MetricsListen::parse);
    }

    static MetricsListen parse(String raw) {
        String value = raw.strip();
        if (value.isEmpty()) {
            return null;
        }
        Matcher parts = HOST_PORT.matcher(value);
        if (!parts.matches()) {
            throw new IllegalArgumentException("a loopback address and port such as 127.0.0.1:9464 or [::1]:9464, got '"
                    + raw + "'");
        }
        String host = parts.group(1);
        int port = Integer.parseInt(parts.group(2));
        if (port > 65535) {
            throw new IllegalArgumentException("port 0–65535, got '" + raw + "'");
        }
        if (host.equalsIgnoreCase("localhost")) {
            return new MetricsListen("127.0.0.1", port);
        }
        if (!LITERAL.matcher(host).matches() || !isLoopback(host)) {
            throw new IllegalArgumentException("only a loopback address (127.0.0.0/8, [::1] or localhost) serves"
                    + " /metrics, so no other host (nor a cattle VM on the tailnet) reads it; got '" + raw + "'");
        }
        return new MetricsListen(host, port);
    }

    private static boolean isLoopback(String literal) {
        String bare = literal.startsWith("[") ? literal.substring(1, literal.length() - 1) : literal;
        try {
            // Literals only (checked above), so no DNS lookup happens here.
            return InetAddress.getByName(bare).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
