package clf.server.internal.log;

import clf.protocol.LogLines;
import java.io.PrintStream;
import java.time.Clock;

/**
 * The daemon's log: one line per event on its stdout, in the shape it shares with the cattle
 * agent ({@link LogLines}). Callers pass no secrets: tokens, keys and payloads never reach here.
 */
public final class Log extends LogLines {
    public Log(PrintStream out, Clock clock) {
        super(out, clock);
    }
}
