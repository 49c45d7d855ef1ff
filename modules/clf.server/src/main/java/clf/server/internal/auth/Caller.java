package clf.server.internal.auth;

/**
 * Who is on the other end of a bot connection, from the socket's peer credentials.
 *
 * @param userName  the Unix user name of {@code uid}; {@code null} if the user database has none
 * @param requester the requester name this caller acts as; {@code null} if it has none
 * @param operator  may act for any requester and see every job
 * @param noRequesterReason why {@code requester} is null, for the refusal; null when it is not
 */
public record Caller(long uid, long gid, long pid, String userName, String requester, boolean operator,
        String noRequesterReason) {

    public Caller(long uid, long gid, long pid, String userName, String requester, boolean operator) {
        this(uid, gid, pid, userName, requester, operator, null);
    }

    /** How the caller appears in logs. */
    public String describe() {
        return (userName == null ? "uid " + uid : userName) + " (pid " + pid + ")";
    }
}
