package clf.protocol;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;

/**
 * One line per event on the stream it is given, the daemon's stdout and the cattle agent's
 * stderr (journald adds its own metadata), both in one shape:
 * {@code 2026-11-27T14:30:00.123Z INFO job.enqueued job=… requester=maren}. Values with spaces,
 * quotes or control characters are quoted, with the controls blanked, so one event stays one
 * line. Callers pass no secrets: tokens, keys and payloads never reach here.
 */
public class LogLines {
    private final PrintStream out;
    private final Clock clock;

    public LogLines(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    public final void info(String event, Object... keyValues) {
        write("INFO", event, keyValues);
    }

    public final void warn(String event, Object... keyValues) {
        write("WARN", event, keyValues);
    }

    public final void error(String event, Object... keyValues) {
        write("ERROR", event, keyValues);
    }

    private void write(String level, String event, Object... keyValues) {
        String line = format(Instant.now(clock), level, event, keyValues);
        synchronized (out) {
            out.println(line);
        }
    }

    /** {@code keyValues} alternate: key, value, key, value (an odd last one is dropped). */
    public static String format(Instant at, String level, String event, Object... keyValues) {
        StringBuilder line = new StringBuilder(96);
        line.append(at).append(' ').append(level).append(' ').append(event);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            line.append(' ').append(keyValues[i]).append('=').append(quoted(String.valueOf(keyValues[i + 1])));
        }
        return line.toString();
    }

    static String quoted(String value) {
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
