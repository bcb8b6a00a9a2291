"""Feedback's SQL: receipts (reference + secret hash), authorised partners and timeline steps."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

import asyncpg

from contracts import Receipt
from services.feedback.domain import TimelineItem

SCHEMA = "feedback"


async def insert_receipt(conn: asyncpg.Connection, receipt: Receipt) -> bool:
    inserted = await conn.fetchval(
        "INSERT INTO feedback.receipts (report_id, reference, secret_hash, language, wants_feedback) "
        "VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING true",
        receipt.report_id,
        receipt.reference,
        receipt.secret_hash,
        receipt.language,
        receipt.wants_feedback,
    )
    return bool(inserted)


async def authorise_partners(conn: asyncpg.Connection, report_id: uuid.UUID, partners: Iterable[str]) -> None:
    await conn.executemany(
        "INSERT INTO feedback.authorised_partners (report_id, partner_id) VALUES ($1, $2) "
        "ON CONFLICT DO NOTHING",
        [(report_id, p) for p in sorted(set(partners))],
    )


async def routing_known(conn: asyncpg.Connection, report_id: uuid.UUID) -> bool:
    return bool(
        await conn.fetchval(
            "SELECT EXISTS (SELECT 1 FROM feedback.timeline WHERE report_id = $1 AND source = 'routing')",
            report_id,
        )
    )


async def authorised_partners(conn: asyncpg.Connection, report_id: uuid.UUID) -> set[str]:
    rows = await conn.fetch(
        "SELECT partner_id FROM feedback.authorised_partners WHERE report_id = $1", report_id
    )
    return {r["partner_id"] for r in rows}


async def add_timeline_item(
    conn: asyncpg.Connection, report_id: uuid.UUID, source: str, item: TimelineItem
) -> None:
    await conn.execute(
        "INSERT INTO feedback.timeline (report_id, source, on_day, status, partner_id, message) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        report_id,
        source,
        item.on,
        item.status,
        item.partner_id,
        item.message,
    )


async def find_receipt(pool: asyncpg.Pool, reference: str) -> asyncpg.Record | None:
    return await pool.fetchrow(
        "SELECT report_id, reference, secret_hash, language, rated, created_at "
        "FROM feedback.receipts WHERE reference = $1",
        reference,
    )


async def visible_timeline(db: asyncpg.Pool | asyncpg.Connection, report_id: uuid.UUID) -> list[TimelineItem]:
    """Routing steps, the reporter's own steps, and outcome steps from partners a routing decision
    named, in arrival order."""
    rows = await db.fetch(
        "SELECT t.on_day, t.status, t.partner_id, t.message FROM feedback.timeline t "
        "WHERE t.report_id = $1 AND (t.source IN ('routing', 'reporter') OR EXISTS ("
        "  SELECT 1 FROM feedback.authorised_partners a "
        "  WHERE a.report_id = t.report_id AND a.partner_id = t.partner_id)) "
        "ORDER BY t.id",
        report_id,
    )
    return [TimelineItem(r["on_day"], r["status"], r["partner_id"], r["message"]) for r in rows]


async def lock_receipt(conn: asyncpg.Connection, report_id: uuid.UUID) -> bool:
    """Hold the receipt's row until the transaction ends: one answer at a time per report."""
    return bool(
        await conn.fetchval("SELECT true FROM feedback.receipts WHERE report_id = $1 FOR UPDATE", report_id)
    )


async def mark_rated(pool: asyncpg.Pool, report_id: uuid.UUID) -> bool:
    """True the first time; a report is rated once."""
    return bool(
        await pool.fetchval(
            "UPDATE feedback.receipts SET rated = true WHERE report_id = $1 AND NOT rated RETURNING true",
            report_id,
        )
    )


async def unmark_rated(pool: asyncpg.Pool, report_id: uuid.UUID) -> None:
    await pool.execute("UPDATE feedback.receipts SET rated = false WHERE report_id = $1", report_id)


async def purge_older_than(pool: asyncpg.Pool, cutoff: datetime) -> dict[str, int]:
    """Drop receipts and everything about their reports older than ``cutoff``, and orphans as old."""
    counts: dict[str, int] = {}
    async with pool.acquire() as conn, conn.transaction():
        expired = "SELECT report_id FROM feedback.receipts WHERE created_at < $1"
        for table in ("timeline", "authorised_partners"):
            result = await conn.execute(
                f"DELETE FROM feedback.{table} WHERE created_at < $1 OR report_id IN ({expired})",  # noqa: S608
                cutoff,
            )
            counts[table] = int(result.split()[-1])
        result = await conn.execute("DELETE FROM feedback.receipts WHERE created_at < $1", cutoff)
        counts["receipts"] = int(result.split()[-1])
        result = await conn.execute("DELETE FROM feedback.processed_events WHERE processed_at < $1", cutoff)
        counts["processed_events"] = int(result.split()[-1])
    return counts
