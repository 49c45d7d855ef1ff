package clf.queue.internal;

import clf.protocol.InvalidInputException;
import clf.protocol.RequesterName;
import clf.queue.CancelResult;
import clf.queue.Completion;
import clf.queue.EnqueueResult;
import clf.queue.EnqueueRules;
import clf.queue.Job;
import clf.queue.JobEvent;
import clf.queue.JobPage;
import clf.queue.JobQuery;
import clf.queue.JobStore;
import clf.queue.LeaseStatus;
import clf.queue.NewJob;
import clf.queue.PruneResult;
import clf.queue.QueueStats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks every input of the {@link JobStore} contract, then hands it, normalised, to an engine.
 * Every engine sits behind one of these (see {@link clf.queue.JobStores}), so bad input gets the
 * same error naming its field whichever engine stores the jobs, and an engine never sees it.
 */
public final class CheckedJobStore implements JobStore {
    private static final int MAX_ERROR_CHARS = 4000;
    private static final int MAX_RESULT_BYTES = 1024 * 1024;
    private static final Pattern WORKER_ID = Pattern.compile("[\\x21-\\x7e]{1,128}");
    private static final Pattern EVENT_TYPE = Pattern.compile("[a-z][a-z0-9_-]*(\\.[a-z][a-z0-9_-]*)*");
    private static final Pattern ID_PREFIX = Pattern.compile("[0-9a-f-]+");

    private final JobStore engine;

    public CheckedJobStore(JobStore engine) {
        this.engine = engine;
    }

    @Override
    public EnqueueResult enqueue(NewJob job, EnqueueRules rules) {
        return engine.enqueue(requireJob(job), requireRules(rules));
    }

    @Override
    public Optional<String> dedupeHit(NewJob job, EnqueueRules rules) {
        return engine.dedupeHit(requireJob(job), requireRules(rules));
    }

    @Override
    public Subscription onEnqueued(Runnable listener) {
        if (listener == null) {
            throw new InvalidInputException("listener", "a listener", null);
        }
        return engine.onEnqueued(listener);
    }

    @Override
    public Optional<Job> claimNext(String workerId, Set<String> kinds, Duration lease) {
        requireWorkerId(workerId);
        if (kinds == null || kinds.isEmpty()) {
            throw new InvalidInputException("kinds", "at least one job kind the worker can run", "none");
        }
        kinds.forEach(NewJob::requireKind);
        return engine.claimNext(workerId, kinds, requireLease(lease));
    }

    @Override
    public int reclaimExpiredLeases() {
        return engine.reclaimExpiredLeases();
    }

    @Override
    public Optional<Instant> nextDue() {
        return engine.nextDue();
    }

    @Override
    public OptionalLong changeStamp() {
        return engine.changeStamp();
    }

    @Override
    public LeaseStatus extendLease(String jobId, String workerId, Duration lease) {
        return engine.extendLease(jobId, requireWorkerId(workerId), requireLease(lease));
    }

    @Override
    public Completion ack(String jobId, String workerId, String resultJson) {
        requireWorkerId(workerId);
        if (resultJson != null) {
            JsonText.requireValid("result", resultJson, MAX_RESULT_BYTES);
        }
        return engine.ack(jobId, workerId, resultJson);
    }

    @Override
    public Completion fail(String jobId, String workerId, String error) {
        return engine.fail(jobId, requireWorkerId(workerId), errorText(error));
    }

    @Override
    public Completion failPermanently(String jobId, String workerId, String error) {
        return engine.failPermanently(jobId, requireWorkerId(workerId), errorText(error));
    }

    @Override
    public Completion finishCanceled(String jobId, String workerId, String message) {
        return engine.finishCanceled(jobId, requireWorkerId(workerId), stripped(message));
    }

    @Override
    public Completion release(String jobId, String workerId, String reason) {
        return engine.release(jobId, requireWorkerId(workerId), stripped(reason));
    }

    @Override
    public CancelResult cancel(String jobId) {
        return engine.cancel(jobId);
    }

    @Override
    public Set<String> cancelRequested(String workerIdPrefix) {
        return engine.cancelRequested(requireWorkerId(workerIdPrefix));
    }

    @Override
    public Optional<Job> get(String jobId) {
        return engine.get(jobId);
    }

    /** Hands the engine the prefix stripped and in lower case, as ids are stored. */
    @Override
    public List<Job> findByIdPrefix(String prefix, String requester, int limit) {
        String text = prefix == null ? "" : prefix.strip().toLowerCase(Locale.ROOT);
        if (text.length() < MIN_ID_PREFIX || text.length() > 36 || !ID_PREFIX.matcher(text).matches()) {
            throw new InvalidInputException("idPrefix", MIN_ID_PREFIX + "–36 characters of a job id ([0-9a-f-])",
                    prefix == null ? "" : prefix);
        }
        if (requester != null) {
            RequesterName.require("requester", requester);
        }
        if (limit < 1 || limit > JobQuery.MAX_LIMIT) {
            throw new InvalidInputException("limit", "1–" + JobQuery.MAX_LIMIT, limit);
        }
        return engine.findByIdPrefix(text, requester, limit);
    }

    @Override
    public JobPage list(JobQuery query) {
        if (query == null) {
            throw new InvalidInputException("query", "a job query", null);
        }
        return engine.list(query);
    }

    @Override
    public List<JobEvent> events(String jobId) {
        return engine.events(jobId);
    }

    @Override
    public boolean recordEvent(String jobId, String type, String message) {
        if (type == null || type.length() > 64 || !EVENT_TYPE.matcher(type).matches()) {
            throw new InvalidInputException("type", "dot-separated words of [a-z0-9_-], up to 64 chars", type);
        }
        return engine.recordEvent(jobId, type, stripped(message));
    }

    @Override
    public QueueStats stats() {
        return engine.stats();
    }

    @Override
    public void ping() {
        engine.ping();
    }

    @Override
    public PruneResult prune(Duration olderThan) {
        if (olderThan == null || olderThan.isNegative()) {
            throw new InvalidInputException("olderThan", "a duration of zero or more", olderThan);
        }
        return engine.prune(olderThan);
    }

    @Override
    public void close() {
        engine.close();
    }

    private static NewJob requireJob(NewJob job) {
        if (job == null) {
            throw new InvalidInputException("job", "a new job", null);
        }
        return job;
    }

    private static EnqueueRules requireRules(EnqueueRules rules) {
        if (rules == null) {
            throw new InvalidInputException("rules", "enqueue rules (EnqueueRules.NONE for none)", null);
        }
        return rules;
    }

    private static String requireWorkerId(String workerId) {
        if (workerId == null || !WORKER_ID.matcher(workerId).matches()) {
            throw new InvalidInputException("workerId", "1–128 printable ASCII chars without spaces", workerId);
        }
        return workerId;
    }

    private static Duration requireLease(Duration lease) {
        if (lease == null || lease.compareTo(MIN_LEASE) < 0 || lease.compareTo(MAX_LEASE) > 0) {
            throw new InvalidInputException("lease", MIN_LEASE.toMillis() + " ms to 1 h", lease);
        }
        return lease;
    }

    /** A failed attempt's error as the job keeps it: never empty, at most {@value #MAX_ERROR_CHARS} chars. */
    private static String errorText(String error) {
        String text = stripped(error);
        if (text.isEmpty()) {
            return "unknown error";
        }
        return text.length() > MAX_ERROR_CHARS ? text.substring(0, MAX_ERROR_CHARS) + "…" : text;
    }

    private static String stripped(String text) {
        return text == null ? "" : text.strip();
    }
}
