package clf.cattle.internal;

import clf.protocol.LogLine;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;

/**
 * The agent's log: one line per event on stderr (the journal under systemd), in the daemon's
 * shape ({@link LogLine}): {@code 2026-11-27T14:30:00.123Z INFO agent.env-fetched variables=…}.
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
        String line = LogLine.format(Instant.now(clock), level, event, keyValues);
        synchronized (out) {
            out.println(line);
        }
    }
}
