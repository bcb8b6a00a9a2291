"""Idempotent consumption: an event id is recorded in the same transaction as its side effect."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg


@asynccontextmanager
async def once(pool: asyncpg.Pool, schema: str, event_id: str) -> AsyncIterator[asyncpg.Connection | None]:
    """Yield a connection inside a transaction the first time ``event_id`` is seen, ``None`` after that.

    The id row and the side effect commit together: a crash before commit means neither happened,
    so the redelivered message is processed again; a duplicate delivery has no effect.
    """
    async with pool.acquire() as conn, conn.transaction():
        inserted = await conn.fetchval(
            f'INSERT INTO "{schema}".processed_events (event_id) VALUES ($1) '
            "ON CONFLICT DO NOTHING RETURNING true",
            event_id,
        )
        yield conn if inserted else None
