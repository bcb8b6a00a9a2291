-- Per-report facts, from which every figure is a GROUP BY. No report content: codes, places at
-- municipality level, coarse times. Rows are filled by whichever event arrives first (topics are
-- independent) and completed by the others.
CREATE TABLE report_facts (
    report_id       uuid PRIMARY KEY,
    category        text,          -- as classified by the router when known, else as the reporter chose
    channel         text,
    campaign        text,
    municipality    text,
    lead_partner    text,
    priority        text,
    received_day    date,          -- Dutch calendar day of the coarsened submission time
    received_hour   smallint,      -- Dutch hour, NULL when the time was coarsened to a day or more
    decided_at      timestamptz,   -- routing decision time: the start of "time to first response"
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Every partner a report went to (lead and informed), over all decisions about it.
CREATE TABLE report_partners (
    report_id   uuid NOT NULL,
    partner_id  text NOT NULL,
    PRIMARY KEY (report_id, partner_id)
);

-- Partner outcomes, one row per event. Counted only when their partner is in report_partners.
CREATE TABLE report_outcomes (
    event_id    text PRIMARY KEY,
    report_id   uuid NOT NULL,
    partner_id  text NOT NULL,
    status      text NOT NULL,
    occurred_at timestamptz NOT NULL
);
CREATE INDEX report_outcomes_report ON report_outcomes (report_id, partner_id);

-- Satisfaction scores, one per report.
CREATE TABLE satisfaction (
    report_id   uuid PRIMARY KEY,
    score       smallint NOT NULL CHECK (score BETWEEN 1 AND 5)
);
