package clf.hetzner;

import java.util.Locale;

/** The {@code status} of a Hetzner server, as the API's {@code server} schema enumerates it. */
public enum ServerStatus {
    INITIALIZING, STARTING, RUNNING, STOPPING, OFF, DELETING, MIGRATING, REBUILDING,
    /** Hetzner's own {@code unknown}, and any value this client does not know yet. */
    UNKNOWN;

    /** The API's spelling, e.g. {@code "running"}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A newer API may add states; mapping them to {@link #UNKNOWN} keeps old clients working. */
    public static ServerStatus fromWire(String value) {
        if (value == null) {
            return UNKNOWN;
        }
        for (ServerStatus status : values()) {
            if (status.wire().equals(value)) {
                return status;
            }
        }
        return UNKNOWN;
    }
}
