package clf.server.internal.log;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Routes java.util.logging (where XNIO, Undertow and jboss-threads log through jboss-logging)
 * into {@link Log}'s one-line format, warnings and worse only: their INFO lines are version
 * banners, and their default format spreads each record over two lines.
 */
public final class JulToLog extends Handler {
    private final Log log;

    private JulToLog(Log log) {
        this.log = log;
    }

    public static void install(Log log) {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(Level.WARNING);
        root.addHandler(new JulToLog(log));
    }

    @Override
    public void publish(LogRecord record) {
        String message = record.getMessage();
        if (record.getParameters() != null && message != null) {
            try {
                message = java.text.MessageFormat.format(message, record.getParameters());
            } catch (IllegalArgumentException e) {
                // keep the pattern as it is
            }
        }
        Object[] fields = {"logger", record.getLoggerName(), "message", message,
            "error", record.getThrown() == null ? "" : record.getThrown().toString()};
        if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
            log.error("library", fields);
        } else {
            log.warn("library", fields);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
