-- What periodic jobs did and when: the access-log retention job records one row per hub and
-- pass (rows deleted), so the console can say when a hub's log was last cleaned. Times are UTC.
CREATE TABLE job_runs (
    id TEXT PRIMARY KEY,
    job TEXT NOT NULL,
    hub_id TEXT REFERENCES hubs (id) ON DELETE CASCADE,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP NOT NULL,
    rows_deleted INTEGER NOT NULL DEFAULT 0 CHECK (rows_deleted >= 0)
);
CREATE INDEX job_runs_job_hub_time ON job_runs (job, hub_id, finished_at);
