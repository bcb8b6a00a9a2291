-- Earlier reports per location: only a keyed hash (HMAC) of the normalised address, never the address.
CREATE TABLE location_reports (
    location_key text NOT NULL,
    report_id    uuid NOT NULL,
    seen_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (location_key, report_id)
);
CREATE INDEX location_reports_seen ON location_reports (location_key, seen_at);

-- The operators' triage queue: reports that could not be routed automatically or wait for review.
-- The report stored here is the anonymized one; an operator releases it to partners.
CREATE TABLE triage (
    report_id    uuid PRIMARY KEY,
    decision     jsonb NOT NULL,
    report       jsonb NOT NULL,
    reason       text NOT NULL,
    status       text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'released')),
    released_to  text[] NOT NULL DEFAULT '{}',
    created_at   timestamptz NOT NULL DEFAULT now(),
    released_at  timestamptz
);
CREATE INDEX triage_waiting ON triage (created_at) WHERE status = 'waiting';

-- Decisions per report, without content, so a reporter's supplement goes to the same partners.
CREATE TABLE decisions (
    report_id  uuid PRIMARY KEY,
    decision   jsonb NOT NULL,
    decided_at timestamptz NOT NULL DEFAULT now()
);
