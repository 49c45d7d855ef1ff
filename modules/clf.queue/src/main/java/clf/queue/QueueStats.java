package clf.queue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the store holds at one moment, for metrics: jobs by kind and status, and how the queue
 * looks to the workers. All figures come from one read snapshot, so they agree with each other.
 *
 * @param at                  the store's clock when the snapshot was taken
 * @param counts              one entry per kind and status that has jobs; kinds sorted, statuses in enum order
 * @param runnable            queued jobs whose {@code runAt} has come: they wait for a worker now
 * @param oldestRunnableSince when the longest-waiting runnable job became runnable
 *                            ({@code max(createdAt, runAt)}); empty when none is runnable
 */
public record QueueStats(Instant at, List<Count> counts, long runnable, Optional<Instant> oldestRunnableSince) {
    public QueueStats {
        counts = List.copyOf(counts);
    }

    /** How many jobs of one kind are in one status. */
    public record Count(String kind, JobStatus status, long jobs) {
    }

    /** Jobs in {@code status}, all kinds together. */
    public long total(JobStatus status) {
        return counts.stream().filter(count -> count.status() == status).mapToLong(Count::jobs).sum();
    }
}
