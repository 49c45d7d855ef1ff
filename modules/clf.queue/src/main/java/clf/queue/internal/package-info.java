/**
 * What every store engine shares and callers never see: {@link clf.queue.internal.CheckedJobStore}
 * checks the contract's inputs in front of any engine; {@link clf.queue.internal.PageCursor} and
 * {@link clf.queue.internal.JsonText} are the keyset cursor and JSON check of the API's records.
 * The parts of the store that are the same SQL on SQLite and PostgreSQL live here too, each
 * working through {@link clf.queue.sql.SqlDatabase}: {@code Transitions} (every guarded status
 * move), {@code Finishes}, {@code Cancels}, {@code Leases}, {@code Reads} with {@code ListPlan},
 * {@code EventLog}, {@code Pruner}, {@code JobRows} and {@code StatusSql}; the rest is shared as
 * logic over each engine's own SQL ({@code EnqueueChecks}, {@code QuotaCheck}, {@code QueueCounts}).
 * {@code EngineSql} spells the few words that differ (SQLite's index hints, PostgreSQL's row locks);
 * {@code EnqueueListeners} holds the listeners of {@link clf.queue.JobStore#onEnqueued}.
 */
package clf.queue.internal;
