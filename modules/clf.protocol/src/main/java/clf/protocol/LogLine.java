package clf.protocol;

import java.time.Instant;

/**
 * The one shape of a log line, the daemon's and the cattle agent's (both read in the journal):
 * {@code 2026-11-27T14:30:00.123Z INFO job.enqueued job=… requester=maren}. Values with spaces,
 * quotes or control characters are quoted, with the controls blanked, so one event stays one
 * line. Callers pass no secrets: tokens, keys and payloads never reach here.
 */
public final class LogLine {
    private LogLine() {
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
