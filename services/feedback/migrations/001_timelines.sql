-- Feedback keeps, per report, what a reporter needs to see its progress and nothing more.
-- receipts: the reference and an Argon2id hash of the secret (never the secret itself).
CREATE TABLE receipts (
    report_id       uuid PRIMARY KEY,
    reference       text NOT NULL UNIQUE,
    secret_hash     text NOT NULL,
    language        text NOT NULL DEFAULT 'nl',
    wants_feedback  boolean NOT NULL DEFAULT true,
    rated           boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now()
);

-- Partners a routing decision named for a report: only their outcomes reach the reporter.
CREATE TABLE authorised_partners (
    report_id   uuid NOT NULL,
    partner_id  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (report_id, partner_id)
);

-- Timeline steps, keyed by report id whether or not the receipt has arrived yet (topics are
-- independent). partner_id is internal: the reporter is shown only a generic description of it.
-- Outcome rows are shown only when their partner is in authorised_partners.
CREATE TABLE timeline (
    id          bigserial PRIMARY KEY,
    report_id   uuid NOT NULL,
    source      text NOT NULL CHECK (source IN ('routing', 'outcome')),
    on_day      date NOT NULL,
    status      text NOT NULL,
    partner_id  text,
    message     text,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX timeline_report ON timeline (report_id, id);
CREATE INDEX timeline_created ON timeline (created_at);
CREATE INDEX receipts_created ON receipts (created_at);
CREATE INDEX authorised_partners_created ON authorised_partners (created_at);
