"""Intake's SQL: the submission table for idempotent retries. Raw reports only enter the outbox, encrypted."""

from __future__ import annotations

import asyncpg

SCHEMA = "intake"


async def find_submission(conn: asyncpg.Connection, submission_hash: bytes) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT reference, secret_box FROM intake.submissions WHERE submission_hash = $1", submission_hash
    )


async def insert_submission(
    conn: asyncpg.Connection, submission_hash: bytes, reference: str, secret_box: bytes
) -> bool:
    """False when a concurrent retry with the same submission id got there first."""
    inserted = await conn.fetchval(
        "INSERT INTO intake.submissions (submission_hash, reference, secret_box) VALUES ($1, $2, $3) "
        "ON CONFLICT DO NOTHING RETURNING true",
        submission_hash,
        reference,
        secret_box,
    )
    return bool(inserted)


async def purge_submissions(pool: asyncpg.Pool, older_than_hours: int = 24) -> int:
    result = await pool.execute(
        "DELETE FROM intake.submissions WHERE created_at < now() - make_interval(hours => $1)",
        older_than_hours,
    )
    return int(result.split()[-1])
