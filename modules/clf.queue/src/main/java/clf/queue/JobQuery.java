package clf.queue;

import clf.protocol.InvalidInputException;
import clf.protocol.RequesterName;
import clf.queue.internal.PageCursor;
import java.util.Set;

/**
 * A page of jobs, newest first.
 *
 * @param requester only this requester's jobs; {@code null} for everyone's
 * @param statuses  only these statuses; empty for all
 * @param kinds     only these kinds; empty for all
 * @param limit     1–{@value #MAX_LIMIT} jobs
 * @param cursor    {@link JobPage#nextCursor()} of the previous page; {@code null} for the first
 */
public record JobQuery(String requester, Set<JobStatus> statuses, Set<String> kinds, int limit, String cursor) {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    public JobQuery {
        if (requester != null) {
            RequesterName.require("requester", requester);
        }
        statuses = Set.copyOf(statuses);
        kinds = Set.copyOf(kinds);
        kinds.forEach(NewJob::requireKind);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException("limit", "1–" + MAX_LIMIT, limit);
        }
        if (cursor != null) {
            PageCursor.decode(cursor);
        }
    }

    /** The first page of everyone's jobs, {@value #DEFAULT_LIMIT} at a time. */
    public static JobQuery all() {
        return new JobQuery(null, Set.of(), Set.of(), DEFAULT_LIMIT, null);
    }

    public JobQuery forRequester(String who) {
        return new JobQuery(who, statuses, kinds, limit, cursor);
    }

    public JobQuery withStatuses(Set<JobStatus> only) {
        return new JobQuery(requester, only, kinds, limit, cursor);
    }

    public JobQuery withKinds(Set<String> only) {
        return new JobQuery(requester, statuses, only, limit, cursor);
    }

    public JobQuery withLimit(int max) {
        return new JobQuery(requester, statuses, kinds, max, cursor);
    }

    public JobQuery after(String pageCursor) {
        return new JobQuery(requester, statuses, kinds, limit, pageCursor);
    }
}
