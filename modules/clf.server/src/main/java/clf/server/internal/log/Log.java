package clf.server.internal.log;

import clf.protocol.LogLine;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;

/**
 * One line per event on the stream it is given, the daemon's stdout (journald adds its own
 * metadata), in the shape of {@link LogLine}. Callers pass no secrets: tokens, keys and payloads
 * never reach here.
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
        String line = LogLine.format(Instant.now(clock), level, event, keyValues);
        synchronized (out) {
            out.println(line);
        }
    }
}
