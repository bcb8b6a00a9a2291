"""The router's SQL: earlier-report counts by location key, and the triage queue."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

import asyncpg

SCHEMA = "router"


async def count_and_record_location(
    conn: asyncpg.Connection, location_key: str, report_id: UUID, window_days: int
) -> int:
    """How many other reports concerned this location in the window; then record this one."""
    earlier = await conn.fetchval(
        "SELECT count(*) FROM router.location_reports WHERE location_key = $1 AND report_id <> $2 "
        "AND seen_at > now() - make_interval(days => $3)",
        location_key,
        report_id,
        window_days,
    )
    await conn.execute(
        "INSERT INTO router.location_reports (location_key, report_id) VALUES ($1, $2) "
        "ON CONFLICT DO NOTHING",
        location_key,
        report_id,
    )
    return int(earlier)


async def enqueue_triage(
    conn: asyncpg.Connection, report_id: UUID, decision: dict[str, Any], report: dict[str, Any], reason: str
) -> None:
    await conn.execute(
        "INSERT INTO router.triage (report_id, decision, report, reason) "
        "VALUES ($1, $2::jsonb, $3::jsonb, $4) ON CONFLICT (report_id) DO NOTHING",
        report_id,
        json.dumps(decision),
        json.dumps(report),
        reason,
    )


async def waiting_triage(pool: asyncpg.Pool | asyncpg.Connection, limit: int = 200) -> list[asyncpg.Record]:
    rows = await pool.fetch(
        "SELECT report_id, decision, report, reason, created_at FROM router.triage "
        "WHERE status = 'waiting' ORDER BY created_at LIMIT $1",
        limit,
    )
    return list(rows)


async def lock_triage(conn: asyncpg.Connection, report_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT report_id, decision, report, status FROM router.triage WHERE report_id = $1 FOR UPDATE",
        report_id,
    )


async def mark_released(conn: asyncpg.Connection, report_id: UUID, partners: list[str]) -> None:
    await conn.execute(
        "UPDATE router.triage SET status = 'released', released_to = $2, released_at = now() "
        "WHERE report_id = $1",
        report_id,
        partners,
    )


async def purge_locations(pool: asyncpg.Pool, window_days: int) -> None:
    await pool.execute(
        "DELETE FROM router.location_reports WHERE seen_at < now() - make_interval(days => $1)", window_days
    )


async def save_decision(conn: asyncpg.Connection, report_id: UUID, decision: dict[str, Any]) -> None:
    await conn.execute(
        "INSERT INTO router.decisions (report_id, decision) VALUES ($1, $2::jsonb) "
        "ON CONFLICT (report_id) DO UPDATE SET decision = EXCLUDED.decision",
        report_id,
        json.dumps(decision),
    )


async def find_decision(conn: asyncpg.Connection, report_id: UUID) -> dict[str, Any] | None:
    value = await conn.fetchval("SELECT decision FROM router.decisions WHERE report_id = $1", report_id)
    return json.loads(value) if value is not None else None
