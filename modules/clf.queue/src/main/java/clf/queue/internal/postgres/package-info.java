/**
 * The {@link clf.queue.JobStore} in a fleet's shared PostgreSQL. {@link
 * clf.queue.internal.postgres.PostgresJobStore} hands each call to the class that does that one
 * job, as the SQLite engine does: {@code Enqueues} (idempotency by {@code INSERT ... ON
 * CONFLICT}, quotas under a per-requester advisory lock, fair-share {@code Turns}), {@code
 * Notifier} (the {@code NOTIFY} after new jobs commit), {@code Claims} ({@code FOR UPDATE SKIP LOCKED}), {@code Stats},
 * {@code Wakeups} (the {@code LISTEN} thread) and {@code JobSchema}. What both engines do alike
 * (finishes, cancels, reads, events, leases, pruning, guarded transitions) is in
 * {@code clf.queue.internal}; the pool, retries and migrations are {@link
 * clf.queue.postgres.PostgresDatabase}'s.
 */
package clf.queue.internal.postgres;
