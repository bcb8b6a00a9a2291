"""Transactional outbox: records written with the business change, published later by a relay.

A report that intake acknowledged is in PostgreSQL; the relay keeps trying until the broker takes it,
so a broker outage delays publication but never loses a report.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import asyncpg
from faststream.kafka import KafkaBroker
from opentelemetry import context as otel_context
from opentelemetry import propagate

from services.runtime.logging import get_logger
from services.runtime.telemetry import ServiceMetrics

log = get_logger(__name__)


async def enqueue(
    conn: asyncpg.Connection, schema: str, *, topic: str, key: str, payload: bytes, headers: dict[str, str]
) -> None:
    """Add a record to the outbox inside the caller's transaction, with the current trace context."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    await conn.execute(
        f'INSERT INTO "{schema}".outbox (topic, key, payload, headers) VALUES ($1, $2, $3, $4::jsonb)',
        topic,
        key,
        payload,
        json.dumps({**headers, **carrier}),
    )


async def relay_once(pool: asyncpg.Pool, schema: str, broker: KafkaBroker, batch: int = 100) -> int:
    """Publish up to ``batch`` outbox records in order; delete each only after the broker acknowledged it."""
    sent = 0
    async with pool.acquire() as conn, conn.transaction():
        rows = await conn.fetch(
            f'SELECT id, topic, key, payload, headers FROM "{schema}".outbox '
            "ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED",
            batch,
        )
        for row in rows:
            headers: dict[str, Any] = json.loads(row["headers"])
            # Publish inside the trace of the request that wrote the record.
            token = otel_context.attach(propagate.extract(headers))
            try:
                await broker.publish(
                    bytes(row["payload"]), topic=row["topic"], key=row["key"].encode(), headers=headers
                )
            finally:
                otel_context.detach(token)
            await conn.execute(f'DELETE FROM "{schema}".outbox WHERE id = $1', row["id"])
            sent += 1
    return sent


async def pending(pool: asyncpg.Pool, schema: str) -> int:
    return int(await pool.fetchval(f'SELECT count(*) FROM "{schema}".outbox'))


async def run_relay(
    pool: asyncpg.Pool,
    schema: str,
    broker: KafkaBroker,
    metrics: ServiceMetrics,
    *,
    interval_s: float = 0.2,
    batch: int = 100,
    stop: asyncio.Event,
) -> None:
    """Relay until ``stop`` is set, backing off while the broker is unreachable."""
    backoff = interval_s
    while not stop.is_set():
        try:
            sent = await relay_once(pool, schema, broker, batch)
            metrics.outbox_pending.labels(metrics.service).set(await pending(pool, schema))
            backoff = interval_s
            if sent:
                continue
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - any broker or network failure: keep the record, retry
            log.warning("outbox_publish_failed", error=type(exc).__name__, retry_in_s=round(backoff, 2))
            backoff = min(backoff * 2, 5.0)
        try:
            await asyncio.wait_for(stop.wait(), timeout=backoff)
        except TimeoutError:
            pass
