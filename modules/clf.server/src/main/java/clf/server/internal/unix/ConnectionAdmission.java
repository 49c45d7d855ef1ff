package clf.server.internal.unix;

import java.util.HashMap;
import java.util.Map;

/**
 * Which accepted bot-socket connections are served: at most {@code total} at once, and at most
 * {@code perUid} of them from one Unix user, so one user at its cap never keeps another out
 * (the configuration insists on {@code total > perUid}). Operators are exempt from the per-user
 * cap, not from the total: they act for every requester already, and an operator's tools (a
 * benchmark, {@code clf status} during an incident) must get in while bots hold their share.
 */
final class ConnectionAdmission {
    /** What became of one connection. */
    enum Verdict {
        ADMITTED,
        /** its Unix user already holds {@code perUid} connections */
        USER_AT_CAP,
        /** {@code total} connections are open */
        ALL_TAKEN
    }

    private final int total;
    private final int perUid;
    private final Map<Long, Integer> held = new HashMap<>();
    private int open;

    ConnectionAdmission(int total, int perUid) {
        if (total <= perUid) {
            throw new IllegalArgumentException("total (" + total + ") must exceed perUid (" + perUid + ")");
        }
        this.total = total;
        this.perUid = perUid;
    }

    int total() {
        return total;
    }

    int perUid() {
        return perUid;
    }

    /** Takes a place for a connection of {@code uid}; {@link #release} it when the connection ends. */
    synchronized Verdict admit(long uid, boolean operator) {
        int mine = held.getOrDefault(uid, 0);
        if (!operator && mine >= perUid) {
            return Verdict.USER_AT_CAP;
        }
        if (open >= total) {
            return Verdict.ALL_TAKEN;
        }
        held.put(uid, mine + 1);
        open++;
        return Verdict.ADMITTED;
    }

    synchronized void release(long uid) {
        Integer mine = held.get(uid);
        if (mine == null) {
            return;
        }
        if (mine <= 1) {
            held.remove(uid);
        } else {
            held.put(uid, mine - 1);
        }
        open--;
    }

    synchronized int heldBy(long uid) {
        return held.getOrDefault(uid, 0);
    }

    synchronized int open() {
        return open;
    }
}
