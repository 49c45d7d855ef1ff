package clf.server.protocol;

import java.util.regex.Pattern;

/**
 * The requester a Unix user acts as: its name less the requester prefix ({@code bot-maren} is
 * {@code maren}), or the name itself without the prefix. The daemon binds callers to it; the CLI
 * sends it when no {@code --requester} is given, so that v1 daemons, which require the field,
 * get the name the daemon would bind anyway.
 */
public final class RequesterName {
    /** The default of {@code CLF_REQUESTER_PREFIX}. */
    public static final String DEFAULT_PREFIX = "bot-";
    /** The requester of the daemon's own jobs; no user maps to it. */
    public static final String SYSTEM = "clf";
    private static final Pattern REQUESTER = Pattern.compile("[a-z0-9._-]{1,64}");

    private RequesterName() {
    }

    /** The requester of {@code user}, or null when it has none (no name, or not a valid requester name). */
    public static String ofUser(String user, String prefix) {
        if (user == null) {
            return null;
        }
        String name = !prefix.isEmpty() && user.startsWith(prefix) && user.length() > prefix.length()
                ? user.substring(prefix.length())
                : user;
        return REQUESTER.matcher(name).matches() && !name.equals(SYSTEM) ? name : null;
    }
}
