package clf.queue;

/** How many finished jobs, and events with them, a prune removed. */
public record PruneResult(int jobs, int events) {
}
