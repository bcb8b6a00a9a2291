"""Metrics' SQL: per-report facts written idempotently, and the GROUP BY counts every figure comes from."""

from __future__ import annotations

import uuid

import asyncpg

from services.metrics.domain import NO_CAMPAIGN, UNKNOWN, Dimension, ReceivedFacts, RoutingFacts

SCHEMA = "metrics"


async def record_received(conn: asyncpg.Connection, report_id: uuid.UUID, facts: ReceivedFacts) -> None:
    # The router's category (classified) wins over the reporter's choice, whichever arrives first.
    await conn.execute(
        "INSERT INTO metrics.report_facts "
        "(report_id, category, channel, campaign, received_day, received_hour) "
        "VALUES ($1, $2, $3, $4, $5, $6) "
        "ON CONFLICT (report_id) DO UPDATE SET "
        "category = COALESCE(metrics.report_facts.category, EXCLUDED.category), "
        "channel = EXCLUDED.channel, "
        "campaign = COALESCE(EXCLUDED.campaign, metrics.report_facts.campaign), "
        "received_day = EXCLUDED.received_day, received_hour = EXCLUDED.received_hour, updated_at = now()",
        report_id,
        facts.category,
        facts.channel,
        facts.campaign,
        facts.received_day,
        facts.received_hour,
    )


async def lead_partner_of(conn: asyncpg.Connection, report_id: uuid.UUID) -> str | None:
    value = await conn.fetchval(
        "SELECT lead_partner FROM metrics.report_facts WHERE report_id = $1 FOR UPDATE", report_id
    )
    return str(value) if value is not None else None


async def record_routing(
    conn: asyncpg.Connection, report_id: uuid.UUID, facts: RoutingFacts, lead_partner: str
) -> None:
    await conn.execute(
        "INSERT INTO metrics.report_facts (report_id, category, channel, campaign, municipality, "
        "lead_partner, priority, decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
        "ON CONFLICT (report_id) DO UPDATE SET "
        "category = COALESCE(EXCLUDED.category, metrics.report_facts.category), "
        "channel = COALESCE(metrics.report_facts.channel, EXCLUDED.channel), "
        "campaign = COALESCE(metrics.report_facts.campaign, EXCLUDED.campaign), "
        "municipality = COALESCE(EXCLUDED.municipality, metrics.report_facts.municipality), "
        "lead_partner = EXCLUDED.lead_partner, priority = EXCLUDED.priority, "
        # The first decision starts the clock for 'time to first response'.
        "decided_at = COALESCE(metrics.report_facts.decided_at, EXCLUDED.decided_at), updated_at = now()",
        report_id,
        facts.category,
        facts.channel,
        facts.campaign,
        facts.municipality,
        lead_partner,
        facts.priority,
        facts.decided_at,
    )
    await conn.executemany(
        "INSERT INTO metrics.report_partners (report_id, partner_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        [(report_id, p) for p in sorted(facts.partners)],
    )


async def record_outcome(
    conn: asyncpg.Connection,
    event_id: str,
    report_id: uuid.UUID,
    partner_id: str,
    status: str,
    occurred_at: object,
) -> None:
    await conn.execute(
        "INSERT INTO metrics.report_outcomes (event_id, report_id, partner_id, status, occurred_at) "
        "VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        event_id,
        report_id,
        partner_id,
        status,
        occurred_at,
    )


async def record_satisfaction(conn: asyncpg.Connection, report_id: uuid.UUID, score: int) -> bool:
    inserted = await conn.fetchval(
        "INSERT INTO metrics.satisfaction (report_id, score) VALUES ($1, $2) "
        "ON CONFLICT DO NOTHING RETURNING true",
        report_id,
        score,
    )
    return bool(inserted)


# Outcomes count only from partners a routing decision named for the report.
_AUTHORISED_OUTCOMES = (
    "metrics.report_outcomes o JOIN metrics.report_partners p "
    "ON p.report_id = o.report_id AND p.partner_id = o.partner_id"
)


def _by_column(column: str, missing: str = UNKNOWN) -> str:
    return (
        f"SELECT COALESCE({column}, '{missing}') AS key, count(*) AS n "  # noqa: S608 - fixed names only
        "FROM metrics.report_facts GROUP BY 1"
    )


# One query per dimension, built from fixed names only; keys are text so every dimension has one shape.
_COUNT_QUERIES: dict[str, str] = {
    "category": _by_column("category"),
    "channel": _by_column("channel"),
    "municipality": _by_column("municipality"),
    "campaign": _by_column("campaign", NO_CAMPAIGN),
    "lead_partner": _by_column("lead_partner"),
    "priority": _by_column("priority"),
    "partner": "SELECT partner_id AS key, count(*) AS n FROM metrics.report_partners GROUP BY 1",
    # Reports that reached each status (a report counts once per status, however often it was sent).
    "outcome": "SELECT o.status AS key, count(DISTINCT o.report_id) AS n "  # noqa: S608
    f"FROM {_AUTHORISED_OUTCOMES} GROUP BY 1",
    "satisfaction": "SELECT score::text AS key, count(*) AS n FROM metrics.satisfaction GROUP BY 1",
    "weekday": "SELECT extract(isodow FROM received_day)::int::text AS key, count(*) AS n "
    "FROM metrics.report_facts WHERE received_day IS NOT NULL GROUP BY 1",
    "hour": "SELECT received_hour::text AS key, count(*) AS n "
    "FROM metrics.report_facts WHERE received_hour IS NOT NULL GROUP BY 1",
    "weekday_hour": "SELECT extract(isodow FROM received_day)::int::text || '-' || received_hour::text "
    "AS key, count(*) AS n FROM metrics.report_facts "
    "WHERE received_day IS NOT NULL AND received_hour IS NOT NULL GROUP BY 1",
}


async def counts(pool: asyncpg.Pool, dimension: Dimension) -> list[tuple[str, int]]:
    rows = await pool.fetch(_COUNT_QUERIES[dimension])
    return [(str(r["key"]), int(r["n"])) for r in rows]


async def total_reports(pool: asyncpg.Pool) -> int:
    return int(await pool.fetchval("SELECT count(*) FROM metrics.report_facts"))


async def reports_with_outcome(pool: asyncpg.Pool, status: str) -> int:
    return int(
        await pool.fetchval(
            f"SELECT count(DISTINCT o.report_id) FROM {_AUTHORISED_OUTCOMES} WHERE o.status = $1",  # noqa: S608
            status,
        )
    )


async def first_response_seconds(pool: asyncpg.Pool) -> list[float]:
    """Per report: its first authorised outcome minus its first routing decision."""
    rows = await pool.fetch(
        "SELECT extract(epoch FROM (min(o.occurred_at) - f.decided_at))::float8 AS s "  # noqa: S608
        f"FROM {_AUTHORISED_OUTCOMES} JOIN metrics.report_facts f ON f.report_id = o.report_id "
        "WHERE f.decided_at IS NOT NULL GROUP BY o.report_id, f.decided_at"
    )
    return [float(r["s"]) for r in rows]
