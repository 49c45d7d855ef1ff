package clf.server.internal.cattle.reap;

import clf.protocol.ApiException;
import clf.protocol.ErrorCode;
import clf.protocol.JobKind;
import clf.protocol.ReapPayload;
import clf.protocol.RequesterName;
import clf.queue.Job;
import clf.server.internal.cattle.fleet.Labels;
import java.util.Map;

/**
 * Whose servers a {@code cattle.reap} covers. Reaping belongs to the daemon: its periodic reap
 * (requester {@link RequesterName#SYSTEM}) and operators' reaps cover the whole fleet; a bot's
 * reap covers only the servers labelled with its own requester, and its result names only those.
 * The job store does not keep who enqueued a job, so an operator's reap carries
 * {@code "fleetWide":true} in its payload, set at enqueue where the caller is known; only
 * operators may set it.
 */
public final class ReapScope {
    private ReapScope() {
    }

    /**
     * The payload to store for a job of {@code kind} enqueued by this caller: a bot asking for
     * {@code fleetWide} is refused (403); an operator's reap is fleet-wide unless it says otherwise.
     */
    public static Map<String, Object> atEnqueue(JobKind kind, Map<String, Object> payload, boolean operator) {
        if (kind != JobKind.CATTLE_REAP) {
            return payload;
        }
        ReapPayload reap = ReapPayload.fromJson(payload);
        if (!operator && Boolean.TRUE.equals(reap.fleetWide())) {
            throw new ApiException(ErrorCode.FORBIDDEN, "payload.fleetWide: only operators may reap the whole fleet;"
                    + " a bot's reap covers the servers it spawned (operators may)");
        }
        if (operator && reap.fleetWide() == null) {
            return new ReapPayload(reap.dryRun(), true).toJson();
        }
        return payload;
    }

    /** The requester label value whose servers this reap covers, or null for the whole fleet. */
    static String ownerOf(Job job, ReapPayload payload) {
        if (RequesterName.SYSTEM.equals(job.requester()) || Boolean.TRUE.equals(payload.fleetWide())) {
            return null;
        }
        return Labels.value(job.requester(), "requester");
    }

    /** The label selector of the servers a reap of {@code owner} lists. */
    static String selector(String fleetSelector, String owner) {
        return owner == null ? fleetSelector : fleetSelector + "," + Labels.REQUESTER + "=" + owner;
    }
}
