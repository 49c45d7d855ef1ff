/**
 * The {@link clf.queue.JobStore} on one SQLite file. {@link clf.queue.internal.sqlite.SqliteJobStore}
 * hands each call to the class that does that one job:
 * {@code Enqueues} (idempotency, {@code Quotas}, fair-share {@code Turns}, written in groups by
 * {@code GroupCommit}), {@code Claims} (claims, leases, reclaiming expired ones), {@code Finishes}
 * (ack, fail, finish canceled, release), {@code Cancels}, {@code Reads} (get, id prefix, keyset
 * pages planned by {@code ListPlan}), {@code EventLog}, {@code Stats} and {@code Pruner}. Every
 * status change is one of the guarded updates in {@code Transitions}, each a move that
 * {@link clf.queue.JobStatus#canMoveTo} allows; {@code StatusSql} spells statuses in SQL.
 * The file itself (permissions, WAL, migrations, errors) is {@link clf.queue.sqlite.Database}'s.
 */
package clf.queue.internal.sqlite;
