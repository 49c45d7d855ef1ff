package clf.queue;

import java.util.List;

/**
 * @param jobs       newest first
 * @param nextCursor pass to {@link JobQuery#after} for the next page; {@code null} on the last page
 */
public record JobPage(List<Job> jobs, String nextCursor) {
    public JobPage {
        jobs = List.copyOf(jobs);
    }
}
