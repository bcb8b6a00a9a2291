"""PostgreSQL pool and per-service migrations (numbered .sql files applied at start-up)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import asyncpg

from services.runtime.logging import get_logger

log = get_logger(__name__)


async def create_pool(dsn: str, *, max_size: int = 5) -> asyncpg.Pool:
    pool = await asyncpg.create_pool(dsn, min_size=1, max_size=max_size, command_timeout=30)
    assert pool is not None
    return pool


RUNTIME_MIGRATIONS = Path(__file__).parent / "migrations"


async def migrate(pool: asyncpg.Pool, schema: str, migrations_dir: Path) -> list[str]:
    """Apply the shared runtime tables and then the service's migrations in its own schema, once each,
    under an advisory lock so that replicas starting together do not race."""
    applied: list[str] = []
    lock_id = int.from_bytes(hashlib.sha256(schema.encode()).digest()[:8], "big", signed=True)
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", lock_id)
        await conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
        await conn.execute(
            f'CREATE TABLE IF NOT EXISTS "{schema}".schema_migrations '
            "(name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        done = {r["name"] for r in await conn.fetch(f'SELECT name FROM "{schema}".schema_migrations')}
        paths = sorted(RUNTIME_MIGRATIONS.glob("*.sql")) + sorted(migrations_dir.glob("*.sql"))
        for path in paths:
            if path.name in done:
                continue
            await conn.execute(f'SET LOCAL search_path TO "{schema}"')
            await conn.execute(path.read_text(encoding="utf-8"))
            await conn.execute(f'INSERT INTO "{schema}".schema_migrations (name) VALUES ($1)', path.name)
            applied.append(path.name)
    if applied:
        log.info("migrations_applied", schema=schema, migrations=applied)
    return applied
