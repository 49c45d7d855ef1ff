package clf.server.internal.auth;

import clf.server.protocol.RequesterName;

/**
 * Turns peer credentials into a {@link Caller}: user {@code bot-maren} is requester
 * {@code maren}; root, the daemon's own user and members of the operator group are operators.
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
        return new Caller(uid, gid, pid, user, requesterOf(user), operator);
    }

    /** The user name less the prefix, if that is a valid requester name. */
    private String requesterOf(String user) {
        return RequesterName.ofUser(user, requesterPrefix);
    }
}
