package clf.server.internal.housekeeping;

import clf.protocol.JobKind;
import clf.queue.JobStore;
import clf.queue.PruneResult;
import clf.secrets.BootstrapTokens;
import clf.server.internal.worker.JobContext;
import clf.server.internal.worker.JobHandler;
import com.fasterxml.jackson.jr.ob.JSON;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code clf.prune}: deletes jobs that ended more than the retention period ago (with their
 * events) and used or expired bootstrap tokens, so the state files stop growing. Enqueued by
 * {@link Housekeeping}; a job like any other, so its runs are in the job list.
 */
public final class PruneHandler implements JobHandler {
    public static final String KIND = JobKind.CLF_PRUNE.wireName();

    private final JobStore jobs;
    private final BootstrapTokens tokens;
    private final Duration retention;

    public PruneHandler(JobStore jobs, BootstrapTokens tokens, Duration retention) {
        this.jobs = jobs;
        this.tokens = tokens;
        this.retention = retention;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String run(JobContext context) throws Exception {
        PruneResult pruned = jobs.prune(retention);
        int prunedTokens = tokens == null ? 0 : tokens.prune(retention);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("retentionDays", retention.toDays());
        result.put("jobs", pruned.jobs());
        result.put("events", pruned.events());
        result.put("tokens", prunedTokens);
        return JSON.std.asString(result);
    }
}
