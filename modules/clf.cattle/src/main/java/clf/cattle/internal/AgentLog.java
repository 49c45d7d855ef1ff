package clf.cattle.internal;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;

/**
 * The agent's log: one line per event on stderr (the journal under systemd), in the daemon's
 * shape, {@code 2026-11-27T14:30:00.123Z INFO agent.env-fetched variables=OPENAI_API_KEY}.
 * Callers pass names, statuses and counts, never a value of the env or a token.
 */
public final class AgentLog {
    private final PrintStream out;
    private final Clock clock;

    public AgentLog(PrintStream out, Clock clock) {
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
                default -> quoted.append(c < ' ' || c == 0x7f ? ' ' : c);
            }
        }
        return quoted.append('"').toString();
    }
}
