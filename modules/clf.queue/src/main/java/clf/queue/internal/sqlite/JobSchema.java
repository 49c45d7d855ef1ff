package clf.queue.internal.sqlite;

import clf.queue.sql.Schema;
import java.util.List;

/** The tables of the job queue, one migration step per schema version. */
final class JobSchema {
    /** Step {@code i} brings the schema from version {@code i} to {@code i + 1}; never edit a released step. */
    static final Schema SCHEMA = new Schema("job queue", List.of(
            """
            CREATE TABLE jobs (
              seq              INTEGER PRIMARY KEY,  -- insertion order: the listing's keyset cursor
              job_id           TEXT    NOT NULL UNIQUE,
              kind             TEXT    NOT NULL,
              requester        TEXT    NOT NULL,
              payload_json     TEXT    NOT NULL,
              idempotency_key  TEXT,                 -- NULL: no dedupe (NULLs never collide below)
              status           TEXT    NOT NULL
                               CHECK (status IN ('queued', 'running', 'done', 'failed', 'canceled')),
              priority         INTEGER NOT NULL,
              run_at           INTEGER NOT NULL,     -- epoch ms, like every time column
              created_at       INTEGER NOT NULL,
              updated_at       INTEGER NOT NULL,
              attempt          INTEGER NOT NULL CHECK (attempt >= 0),
              max_attempts     INTEGER NOT NULL CHECK (max_attempts >= 1),
              locked_by        TEXT,
              lease_until      INTEGER,
              last_error       TEXT    NOT NULL DEFAULT '',
              result_json      TEXT,
              cancel_requested INTEGER NOT NULL DEFAULT 0 CHECK (cancel_requested IN (0, 1)),
              -- a lock and a lease exactly while running
              CHECK ((status = 'running') = (locked_by IS NOT NULL AND lease_until IS NOT NULL))
            );
            CREATE UNIQUE INDEX jobs_by_idempotency_key ON jobs (requester, idempotency_key);
            -- claim order within a kind; only queued rows are in it, so it stays small
            CREATE INDEX jobs_due ON jobs (kind, priority DESC, run_at, seq) WHERE status = 'queued';
            CREATE INDEX jobs_by_lease ON jobs (lease_until) WHERE status = 'running';
            CREATE INDEX jobs_by_requester ON jobs (requester, seq);
            CREATE INDEX jobs_by_status ON jobs (status, seq);
            CREATE INDEX jobs_by_kind ON jobs (kind, seq);
            CREATE TABLE job_events (
              id      INTEGER PRIMARY KEY,
              job_id  TEXT    NOT NULL REFERENCES jobs (job_id) ON DELETE CASCADE,
              at      INTEGER NOT NULL,
              type    TEXT    NOT NULL,
              message TEXT    NOT NULL,
              attempt INTEGER NOT NULL
            );
            CREATE INDEX job_events_by_job ON job_events (job_id, id);
            """,
            """
            -- metrics: ended jobs (most of the table) are counted by status and kind from this index
            -- alone; queued and running ones from jobs_due and jobs_by_lease, which hold only them.
            -- Partial, so that enqueues and claims, which never touch an ended row, pay nothing for it.
            CREATE INDEX jobs_ended_by_status_kind ON jobs (status, kind) WHERE status IN ('done', 'failed', 'canceled');
            -- when each queued job became (or will become) runnable: the queue's depth and its oldest
            -- waiting job are an index seek, however many jobs wait
            CREATE INDEX jobs_by_runnable_since ON jobs (max(created_at, run_at)) WHERE status = 'queued';
            """,
            """
            -- running jobs whose cancel was requested, by the worker that holds them: each daemon looks
            -- up its own every poll interval. Almost always empty, so that look is one seek, and only a
            -- cancel request (and the job's end) writes to it.
            CREATE INDEX jobs_cancel_requested ON jobs (locked_by, job_id) WHERE status = 'running' AND cancel_requested = 1;
            """,
            """
            -- fair share: each job's turn among its requester's, so that claims of equal priority take
            -- requesters in turn. A job's turn is one past its requester's last, but never behind the
            -- turn of the last claimed job, so an idle requester's new job waits for one claim at most.
            -- Jobs queued before this step are turn 0: they go first, in their old order.
            ALTER TABLE jobs ADD COLUMN turn INTEGER NOT NULL DEFAULT 0;
            -- the payload's UTF-8 bytes, counted against its requester's cap of queued payload
            ALTER TABLE jobs ADD COLUMN payload_bytes INTEGER NOT NULL DEFAULT 0;
            UPDATE jobs SET payload_bytes = length(CAST(payload_json AS BLOB)) WHERE status IN ('queued', 'running');
            CREATE TABLE requester_turns (
              requester TEXT    PRIMARY KEY,
              last_turn INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE claim_turn (
              id   INTEGER PRIMARY KEY CHECK (id = 1),
              turn INTEGER NOT NULL  -- the highest turn claimed so far
            );
            INSERT INTO claim_turn (id, turn) VALUES (1, 0);
            -- claim order within a kind: priority, then turn, then the old order
            DROP INDEX jobs_due;
            CREATE INDEX jobs_due ON jobs (kind, priority DESC, turn, run_at, seq) WHERE status = 'queued';
            -- jobs enqueued to run later wait here without a turn (see Turns.SCHEDULED) and get
            -- one when due, so that their place in jobs_due never sits before the jobs due now
            CREATE INDEX jobs_scheduled ON jobs (run_at) WHERE status = 'queued' AND turn = 9223372036854775807;
            -- queued jobs still to come wait without a turn like new ones (a wrong clock only delays their turn
            -- to the next claim, which gives due ones theirs)
            UPDATE jobs SET turn = 9223372036854775807
             WHERE status = 'queued' AND run_at > CAST(strftime('%s', 'now') AS INTEGER) * 1000;
            -- a requester's active (queued or running) jobs: its quota checks count at most its limit of
            -- entries, and find its queued job of a kind, without reading the table
            CREATE INDEX jobs_active_by_requester ON jobs (requester, status, kind, payload_bytes)
              WHERE status IN ('queued', 'running');
            """));

    private JobSchema() {
    }
}
