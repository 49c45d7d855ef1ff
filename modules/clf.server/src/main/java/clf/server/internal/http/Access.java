package clf.server.internal.http;

import clf.protocol.ApiException;
import clf.protocol.ErrorCode;
import clf.protocol.RequesterName;
import clf.queue.Job;
import clf.server.internal.auth.Caller;

/**
 * Who may do what: a bot acts only as itself and sees only its own jobs; operators (and, with
 * CLF_TRUST_REQUESTER, everyone) act for anyone. Another's job is "not found", so a bot cannot
 * learn which job ids exist.
 */
final class Access {
    private final boolean trustRequester;

    Access(boolean trustRequester) {
        this.trustRequester = trustRequester;
    }

    private boolean actsForAnyone(Caller caller) {
        return trustRequester || caller.operator();
    }

    /**
     * Refuses a caller that is neither a bot (user {@code <prefix><name>}) nor an operator, before
     * it reads anything: with 403 saying what a bot user must be called, not a "not found" that
     * would hide the naming rule. With CLF_TRUST_REQUESTER the name comes from requests instead.
     */
    void requireBotOrOperator(Caller caller) {
        if (!actsForAnyone(caller)) {
            ownRequester(caller);
        }
    }

    /** The requester a job is enqueued for: the one asked for, or the caller's own. */
    String requesterForEnqueue(Caller caller, String asked) {
        if (asked == null) {
            if (trustRequester && caller.requester() == null) {
                // All bots share one Unix user here, so the request has to say who it is for.
                throw new ApiException(ErrorCode.INVALID_INPUT,
                        "requester: required with CLF_TRUST_REQUESTER (" + RequesterName.RULE + ")");
            }
            return ownRequester(caller);
        }
        if (!actsForAnyone(caller) && !asked.equals(caller.requester())) {
            throw new ApiException(ErrorCode.FORBIDDEN, "requester: you may only enqueue as yourself ('"
                    + ownRequester(caller) + "'), got '" + asked + "'");
        }
        if (!caller.operator() && !RequesterName.isCanonical(asked)) {
            // CLF_TRUST_REQUESTER: the name is the bot's word, so it obeys the rule user-derived names do,
            // or '_alice' and 'alice.' would share the label requester=alice.
            throw new ApiException(ErrorCode.INVALID_INPUT, "requester: " + RequesterName.RULE + ", got '" + asked + "'");
        }
        return asked;
    }

    /** The requester filter of a listing: null for everyone's jobs (operators only). */
    String requesterForList(Caller caller, String asked) {
        if (actsForAnyone(caller)) {
            return asked;
        }
        String own = ownRequester(caller);
        if (asked != null && !asked.equals(own)) {
            throw new ApiException(ErrorCode.FORBIDDEN, "requester: you may only list your own jobs ('" + own
                    + "'), got '" + asked + "'");
        }
        return own;
    }

    /** Whether the caller may see (show, cancel, events) this job. */
    boolean maySee(Caller caller, Job job) {
        return actsForAnyone(caller) || job.requester().equals(caller.requester());
    }

    private static String ownRequester(Caller caller) {
        if (caller.requester() == null) {
            throw new ApiException(ErrorCode.FORBIDDEN, caller.noRequesterReason() != null ? caller.noRequesterReason()
                    : "user '" + caller.userName() + "' has no requester name");
        }
        return caller.requester();
    }
}
