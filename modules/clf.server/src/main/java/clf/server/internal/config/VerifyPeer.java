package clf.server.internal.config;

import java.util.Locale;

/**
 * CLF_CATTLE_VERIFY_PEER: whether the cattle listener answers GET /v1/cattle/env only to the
 * tailnet node its token was made for (asking tailscaled's LocalAPI who the caller is).
 */
public enum VerifyPeer {
    /**
     * On once tailscaled's LocalAPI socket is there: at start, or later, as each redemption and
     * health check looks again; then it stays on. The log says which, and when it turns on.
     */
    AUTO,
    /** On; without the socket the daemon does not start. */
    REQUIRED,
    /** Off: whoever holds a token gets its environment (warned at start). */
    OFF;

    public static final String VARIABLE = "CLF_CATTLE_VERIFY_PEER";

    static VerifyPeer parse(String raw) {
        for (VerifyPeer mode : values()) {
            if (mode.value().equals(raw.toLowerCase(Locale.ROOT))) {
                return mode;
            }
        }
        throw new IllegalArgumentException("one of auto|required|off, got '" + raw + "'");
    }

    /** As written in the variable. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
