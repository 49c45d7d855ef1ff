package clf.queue.internal.postgres;

import clf.queue.sql.Schema;
import java.util.List;

/**
 * The job queue's tables on PostgreSQL: the SQLite schema's columns with the same names and
 * meaning (times are epoch ms in BIGINTs, cancel_requested 0/1), so both engines map rows the
 * same way ({@link clf.queue.internal.JobRows}). One migration step per schema version.
 */
final class JobSchema {
    /** Step {@code i} brings the schema from version {@code i} to {@code i + 1}; never edit a released step. */
    static final Schema SCHEMA = new Schema("job queue", List.of(
            """
            CREATE TABLE jobs (
              seq              BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- the listing's keyset cursor
              -- bytewise order: an id prefix is an id range, and worker ids range by prefix, whatever
              -- the database's locale
              job_id           TEXT    COLLATE "C" NOT NULL UNIQUE,
              kind             TEXT    NOT NULL,
              requester        TEXT    NOT NULL,
              payload_json     TEXT    NOT NULL,
              idempotency_key  TEXT,                 -- NULL: no dedupe (NULLs never collide below)
              status           TEXT    NOT NULL
                               CHECK (status IN ('queued', 'running', 'done', 'failed', 'canceled')),
              priority         INTEGER NOT NULL,
              run_at           BIGINT  NOT NULL,     -- epoch ms, like every time column
              created_at       BIGINT  NOT NULL,
              updated_at       BIGINT  NOT NULL,
              attempt          INTEGER NOT NULL CHECK (attempt >= 0),
              max_attempts     INTEGER NOT NULL CHECK (max_attempts >= 1),
              locked_by        TEXT    COLLATE "C",
              lease_until      BIGINT,
              last_error       TEXT    NOT NULL DEFAULT '',
              result_json      TEXT,
              cancel_requested SMALLINT NOT NULL DEFAULT 0 CHECK (cancel_requested IN (0, 1)),
              -- fair share: the job's turn among its requester's (see Turns)
              turn             BIGINT  NOT NULL,
              -- the payload's UTF-8 bytes, counted against its requester's cap of queued payload
              payload_bytes    BIGINT  NOT NULL,
              -- a lock and a lease exactly while running
              CHECK ((status = 'running') = (locked_by IS NOT NULL AND lease_until IS NOT NULL))
            );
            -- the target of the enqueue's INSERT ... ON CONFLICT: one job per requester and key,
            -- however many hosts send the key at once
            CREATE UNIQUE INDEX jobs_by_idempotency_key ON jobs (requester, idempotency_key);
            -- claim order within a kind; only queued rows are in it, so it stays small
            CREATE INDEX jobs_due ON jobs (kind, priority DESC, turn, run_at, seq) WHERE status = 'queued';
            CREATE INDEX jobs_by_lease ON jobs (lease_until) WHERE status = 'running';
            CREATE INDEX jobs_by_requester ON jobs (requester, seq);
            CREATE INDEX jobs_by_status ON jobs (status, seq);
            CREATE INDEX jobs_by_kind ON jobs (kind, seq);
            -- when each queued job became (or will become) runnable: the queue's depth and oldest job
            CREATE INDEX jobs_by_runnable_since ON jobs ((greatest(created_at, run_at))) WHERE status = 'queued';
            -- running jobs whose cancel was requested, by the worker that holds them
            CREATE INDEX jobs_cancel_requested ON jobs (locked_by, job_id) WHERE status = 'running' AND cancel_requested = 1;
            -- jobs enqueued to run later wait without a turn until due (see Turns.SCHEDULED)
            CREATE INDEX jobs_scheduled ON jobs (run_at) WHERE status = 'queued' AND turn = 9223372036854775807;
            -- a requester's active jobs, for its quota and its queued twin of a kind
            CREATE INDEX jobs_active_by_requester ON jobs (requester, status, kind) WHERE status IN ('queued', 'running');
            CREATE TABLE job_events (
              id      BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
              -- ON UPDATE CASCADE: clf never changes an id, but an operator mending rows by hand
              -- need not know the events table
              job_id  TEXT    COLLATE "C" NOT NULL REFERENCES jobs (job_id) ON DELETE CASCADE ON UPDATE CASCADE,
              at      BIGINT  NOT NULL,
              type    TEXT    NOT NULL,
              message TEXT    NOT NULL,
              attempt INTEGER NOT NULL
            );
            CREATE INDEX job_events_by_job ON job_events (job_id, id);
            CREATE TABLE requester_turns (
              requester TEXT   PRIMARY KEY,
              last_turn BIGINT NOT NULL
            );
            -- the highest turn claimed so far is the greatest of these rows: each claim advances the
            -- row of its worker's slot, so claimers on many hosts do not queue for one row lock
            CREATE TABLE claim_turns (
              slot INTEGER PRIMARY KEY,
              turn BIGINT  NOT NULL
            );
            INSERT INTO claim_turns (slot, turn) SELECT slot, 0 FROM generate_series(0, 63) AS slot;
            """));

    /** How many rows {@code claim_turns} has. */
    static final int CLAIM_TURN_SLOTS = 64;

    private JobSchema() {
    }
}
