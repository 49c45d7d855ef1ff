package clf.protocol;

import java.util.regex.Pattern;

/**
 * The requester a Unix user acts as: its name less the requester prefix ({@code bot-maren} is
 * {@code maren}). Only users named {@code <prefix><name>} are bots; {@code <name>} must be
 * {@linkplain #isCanonical canonical}, so two users never share a requester and two requesters
 * never share a Hetzner label value. The daemon binds callers to it; the CLI sends it when no
 * {@code --requester} is given, so that v1 daemons, which require the field, get the name the
 * daemon would bind anyway.
 */
public final class RequesterName {
    /** The default of {@code CLF_REQUESTER_PREFIX}. */
    public static final String DEFAULT_PREFIX = "bot-";
    /** The requester of the daemon's own jobs; no user maps to it. */
    public static final String SYSTEM = "clf";
    /** What protocol v1 accepts as a requester field: any name a job can be stored under. */
    private static final Pattern WIRE = Pattern.compile("[a-z0-9._-]{1,64}");
    /** What v1 says when a requester field breaks {@link #WIRE}, word for word. */
    private static final String WIRE_RULE = "1–64 chars of [a-z0-9._-]";
    /**
     * The requester name rules ({@code [a-z0-9._-]}) cut down to what is its own Hetzner label
     * value: 1–63 chars, starting and ending with a letter or digit. {@code _alice}, {@code -alice}
     * and {@code alice.} would all have been labelled {@code requester=alice}.
     */
    private static final Pattern CANONICAL = Pattern.compile("[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?");
    /** What a bot user must be called, for refusals. */
    public static final String RULE = "1–63 chars of [a-z0-9._-], starting and ending with a letter or digit";

    private RequesterName() {
    }

    /**
     * Checks a requester as the wire carries it ({@code requester}, {@code --requester}): v1's
     * rule, which the job store applies too (it calls this). Returns it unchanged.
     */
    public static String require(String field, String requester) {
        if (requester == null || !WIRE.matcher(requester).matches()) {
            throw new InvalidInputException(field, WIRE_RULE, requester == null ? "" : requester);
        }
        return requester;
    }

    /** Whether {@code name} is a requester name that is also its own label value. */
    public static boolean isCanonical(String name) {
        return name != null && CANONICAL.matcher(name).matches();
    }

    /**
     * The requester of bot user {@code user}, or null when it is not a bot: not named
     * {@code <prefix><name>}, {@code <name>} not canonical, the daemon's own {@link #SYSTEM}, or
     * itself starting with the prefix ({@code bot-bot-x} would read as user {@code bot-x}).
     */
    public static String ofUser(String user, String prefix) {
        if (user == null || !user.startsWith(prefix)) {
            return null;
        }
        String name = user.substring(prefix.length());
        boolean doubled = !prefix.isEmpty() && name.startsWith(prefix);
        return isCanonical(name) && !doubled && !name.equals(SYSTEM) ? name : null;
    }

    /**
     * The requester the daemon binds {@code user} to when it names none: a bot's own, else (for
     * an operator, who may act for anyone) the user name itself when canonical; null otherwise.
     * The CLI sends this one; a daemon that disagrees refuses and the CLI asks again without it.
     */
    public static String ofOperator(String user, String prefix) {
        String bot = ofUser(user, prefix);
        if (bot != null) {
            return bot;
        }
        return isCanonical(user) && !user.equals(SYSTEM) ? user : null;
    }

    /** What a bot user must be called under {@code prefix}, for refusals. */
    public static String botUserRule(String prefix) {
        return "bot users must be named '" + prefix + "<name>' with <name> " + RULE
                + (prefix.isEmpty() ? "" : ", not itself starting with '" + prefix + "'");
    }
}
