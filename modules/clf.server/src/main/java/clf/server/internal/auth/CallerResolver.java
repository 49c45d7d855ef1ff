package clf.server.internal.auth;

import clf.protocol.RequesterName;

/**
 * Turns peer credentials into a {@link Caller}: user {@code bot-maren} is requester
 * {@code maren}; root, the daemon's own user and members of the operator group are operators.
 * Only users named {@code <prefix><name>} are bots (see {@link RequesterName#ofUser}): user
 * {@code maren} in the bots' group is not bot-maren, it has no requester and is refused.
 */
public final class CallerResolver {
    /**
     * The requester of the daemon's own jobs (reaps, prunes). No caller maps to it, so no bot can
     * pre-empt their idempotency keys; operators may still act for it.
     */
    public static final String SYSTEM_REQUESTER = RequesterName.SYSTEM;

    private final UserDirectory users;
    private final String requesterPrefix;
    private final String operatorGroup;
    private final long daemonUid;

    public CallerResolver(UserDirectory users, String requesterPrefix, String operatorGroup, long daemonUid) {
        this.users = users;
        this.requesterPrefix = requesterPrefix;
        this.operatorGroup = operatorGroup;
        this.daemonUid = daemonUid;
    }

    public Caller resolve(long uid, long gid, long pid) {
        String user = users.userName(uid).orElse(null);
        boolean operator = uid == 0 || uid == daemonUid || users.isMember(user, gid, operatorGroup);
        String requester = operator ? RequesterName.ofOperator(user, requesterPrefix)
                : RequesterName.ofUser(user, requesterPrefix);
        String why = requester != null ? null
                : user == null ? "uid " + uid + " has no user name, so it has no requester name"
                : operator ? "operator '" + user + "' has no requester name of its own (" + RequesterName.RULE
                        + "); name the requester to act for"
                : "user '" + user + "' is not a bot user: " + botUserRule();
        return new Caller(uid, gid, pid, user, requester, operator, why);
    }

    /** What a bot user must be called, for refusals. */
    public String botUserRule() {
        return RequesterName.botUserRule(requesterPrefix);
    }
}
