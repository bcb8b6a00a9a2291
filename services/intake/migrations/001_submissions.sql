-- Retried submissions (same client submission_id) get the same receipt back. Only a hash of the
-- submission id is stored, and the receipt secret only encrypted under a key derived from that id,
-- so the table alone reveals neither. Rows are purged after a day.
CREATE TABLE submissions (
    submission_hash bytea PRIMARY KEY,
    reference       text NOT NULL,
    secret_box      bytea NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
