package clf.server.internal.cattle.listener;

import clf.protocol.JobKind;
import clf.protocol.TaskReport;
import clf.queue.JobEvent;
import clf.queue.JobStore;
import clf.queue.NewJob;
import clf.secrets.ReportAuth;
import clf.server.internal.cattle.TaskEvents;
import clf.server.internal.housekeeping.Housekeeping;
import clf.server.internal.log.Log;
import java.util.Optional;

/**
 * What a VM's report of its task does (issue 13 §2): an event on the spawn job, once per report
 * (the agent sends again until it has an answer), and after {@code finished}, with
 * {@code CLF_CATTLE_DELETE_ON_FINISH} on, a fleet-wide {@code cattle.reap} at once: the reap
 * counts a server whose task finished as due ({@code ReapHandler}), so one mechanism deletes
 * servers, whether their task finished or their TTL passed.
 */
final class TaskReports {
    /** How a report went. */
    enum Outcome {
        RECORDED,
        /** The same report again: answered like the first, nothing recorded twice. */
        REPEATED,
        /** The task's end was reported already, differently or before this {@code started}. */
        CONFLICT,
        /** The spawn job is gone (pruned); nothing to record on. */
        JOB_GONE
    }

    private final JobStore jobs;
    private final boolean deleteOnFinish;
    private final Log log;

    TaskReports(JobStore jobs, boolean deleteOnFinish, Log log) {
        this.jobs = jobs;
        this.deleteOnFinish = deleteOnFinish;
        this.log = log;
    }

    /**
     * Records {@code report} from the VM {@code reporter} names. Synchronized: reports are rare,
     * and the look at the history and the event it adds must not interleave with a retry's.
     */
    synchronized Outcome record(ReportAuth.Valid reporter, TaskReport report) {
        String jobId = reporter.jobId();
        String type = TaskEvents.type(report);
        String message = TaskEvents.message(report, reporter.cattleName());
        Optional<JobEvent> last = TaskEvents.last(jobs.events(jobId));
        if (last.isPresent()) {
            JobEvent seen = last.get();
            if (seen.type().equals(type) && seen.message().equals(message)) {
                return Outcome.REPEATED;
            }
            if (seen.type().equals(TaskEvents.FINISHED)) {
                return Outcome.CONFLICT;
            }
        }
        if (!jobs.recordEvent(jobId, type, message)) {
            return Outcome.JOB_GONE;
        }
        if (report.isFinished()) {
            log.info(type, "job", jobId, "server", reporter.cattleName(), "exit_code", report.exitCode(),
                    "duration_ms", report.durationMs());
        } else {
            log.info(type, "job", jobId, "server", reporter.cattleName());
        }
        if (report.isFinished() && deleteOnFinish) {
            requestDeletion(reporter);
        }
        return Outcome.RECORDED;
    }

    /**
     * Enqueues the daemon's reap. Should this fail, the periodic reap deletes the server (its task
     * finished, so it is due), only later: logged, not the VM's problem.
     */
    private void requestDeletion(ReportAuth.Valid reporter) {
        try {
            var reap = jobs.enqueue(NewJob.of(JobKind.CATTLE_REAP.wireName(), Housekeeping.REQUESTER, "{\"dryRun\":false}")
                    .withPriority(Housekeeping.REAP_PRIORITY)
                    .withIdempotencyKey("cattle.reap-finished-" + reporter.jobId()));
            jobs.recordEvent(reporter.jobId(), TaskEvents.DELETE_REQUESTED, "server " + reporter.cattleName()
                    + " is deleted by reap job " + reap.jobId());
        } catch (RuntimeException e) {
            log.error("cattle.delete-request-failed", "job", reporter.jobId(), "server", reporter.cattleName(),
                    "error", e.getMessage(), "action", "the periodic reap deletes the server");
        }
    }
}
