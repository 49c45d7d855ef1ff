/**
 * The {@link clf.queue.JobStore} on one SQLite file. {@link clf.queue.internal.sqlite.SqliteJobStore}
 * hands each call to the class that does that one job: {@code Enqueues} (idempotency,
 * {@code Quotas}, fair-share {@code Turns}, written in groups by {@code GroupCommit}),
 * {@code Claims} (claims; leases through the shared {@code Leases}) and {@code Stats}, each with
 * SQLite's own SQL (index hints: SQLite uses a partial index only when told). What both engines
 * do alike is in {@code clf.queue.internal}: {@code Finishes}, {@code Cancels}, {@code Reads}
 * (keyset pages planned by {@code ListPlan}), {@code EventLog}, {@code Pruner}, and every status
 * change as one of the guarded updates in {@code Transitions}. The file itself (permissions, WAL,
 * migrations, errors) is {@link clf.queue.sqlite.Database}'s.
 */
package clf.queue.internal.sqlite;
