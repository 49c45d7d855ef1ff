package clf.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobStatusTest {
    static Set<JobStatus> next(JobStatus from) {
        Set<JobStatus> next = EnumSet.noneOf(JobStatus.class);
        for (JobStatus to : JobStatus.values()) {
            if (from.canMoveTo(to)) {
                next.add(to);
            }
        }
        return next;
    }

    @Test
    void aQueuedJobIsClaimedOrCanceled() {
        assertEquals(EnumSet.of(JobStatus.RUNNING, JobStatus.CANCELED), next(JobStatus.QUEUED));
    }

    @Test
    void aRunningJobEndsOrGoesBackToTheQueue() {
        assertEquals(EnumSet.of(JobStatus.QUEUED, JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELED),
                next(JobStatus.RUNNING));
    }

    @Test
    void anEndedJobNeverMovesAgain() {
        for (JobStatus ended : JobStatus.ENDED) {
            assertEquals(Set.of(), next(ended), ended.toString());
            assertFalse(JobStatus.ACTIVE.contains(ended));
        }
        assertEquals(EnumSet.allOf(JobStatus.class), EnumSet.copyOf(union(JobStatus.ACTIVE, JobStatus.ENDED)));
    }

    static Set<JobStatus> union(Set<JobStatus> a, Set<JobStatus> b) {
        Set<JobStatus> all = EnumSet.copyOf(a);
        all.addAll(b);
        return all;
    }
}
