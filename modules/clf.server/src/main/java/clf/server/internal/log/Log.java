package clf.server.internal.log;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;

/**
 * One line per event on the stream it is given, the daemon's stdout (journald adds its own metadata):
 * {@code 2026-11-27T14:30:00.123Z INFO job.enqueued job=… requester=maren}. Values with spaces
 * or quotes are quoted. Callers pass no secrets: tokens, keys and payloads never reach here.
 */
public final class Log {
    private final PrintStream out;
    private final Clock clock;

    public Log(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    public void info(String event, Object... keyValues) {
        write("INFO", event, keyValues);
    }

    public void warn(String event, Object... keyValues) {
        write("WARN", event, keyValues);
    }

    public void error(String event, Object... keyValues) {
        write("ERROR", event, keyValues);
    }

    private void write(String level, String event, Object... keyValues) {
        StringBuilder line = new StringBuilder(96);
        line.append(Instant.now(clock)).append(' ').append(level).append(' ').append(event);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            line.append(' ').append(keyValues[i]).append('=').append(quoted(String.valueOf(keyValues[i + 1])));
        }
        synchronized (out) {
            out.println(line);
        }
    }

    private static String quoted(String value) {
        boolean plain = !value.isEmpty();
        for (int i = 0; i < value.length() && plain; i++) {
            char c = value.charAt(i);
            plain = c > ' ' && c != '"' && c != '=' && c < 0x7f;
        }
        if (plain) {
            return value;
        }
        StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> quoted.append(c < ' ' ? ' ' : c);
            }
        }
        return quoted.append('"').toString();
    }
}
