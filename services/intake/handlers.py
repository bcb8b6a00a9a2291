"""Intake's one use case, shared by the API, the web form and channel gateways: accept a report.

Everything happens in one transaction: the encrypted raw report and the receipt event go into the
outbox, so an acknowledged report is in PostgreSQL before the reporter sees the receipt.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import asyncpg
from nacl.public import PublicKey
from opentelemetry import trace

from contracts import IntakePayload
from contracts.events import Channel
from contracts.topics import RAW_REPORTS, RECEIPTS
from services.intake import domain, store
from services.runtime.crypto import encrypt
from services.runtime.kafka import headers_for
from services.runtime.outbox import enqueue

SOURCE = "/meldpunt/intake"
_tracer = trace.get_tracer("meldpunt.intake")


@dataclass(frozen=True)
class Accepted:
    receipt: domain.ReceiptSecret
    replayed: bool


async def accept_report(
    pool: asyncpg.Pool,
    public_key: PublicKey,
    payload: IntakePayload,
    *,
    channel: Channel,
    channel_meta: dict[str, str] | None = None,
    supplement_to: uuid.UUID | None = None,
) -> Accepted:
    with _tracer.start_as_current_span("intake.accept_report", attributes={"meldpunt.channel": channel}):
        return await _accept(
            pool, public_key, payload, channel=channel, channel_meta=channel_meta, supplement_to=supplement_to
        )


async def _accept(
    pool: asyncpg.Pool,
    public_key: PublicKey,
    payload: IntakePayload,
    *,
    channel: Channel,
    channel_meta: dict[str, str] | None,
    supplement_to: uuid.UUID | None,
) -> Accepted:
    raw = domain.make_raw_report(
        payload, channel=channel, channel_meta=channel_meta, supplement_to=supplement_to
    )
    receipt = domain.new_receipt()
    event = domain.receipt_event(raw, receipt)
    report_id = str(raw.report_id)
    ciphertext = encrypt(raw.model_dump_json().encode(), public_key)
    async with pool.acquire() as conn, conn.transaction():
        if payload.submission_id is not None:
            key = domain.submission_hash(payload.submission_id)
            box = domain.seal_secret(payload.submission_id, receipt.secret)
            if not await store.insert_submission(conn, key, receipt.reference, box):
                previous = await store.find_submission(conn, key)
                assert previous is not None
                secret = domain.open_secret(payload.submission_id, bytes(previous["secret_box"]))
                return Accepted(domain.ReceiptSecret(previous["reference"], secret), replayed=True)
        await enqueue(
            conn,
            store.SCHEMA,
            topic=RAW_REPORTS,
            key=report_id,
            payload=ciphertext,
            headers=headers_for("raw", report_id, SOURCE),
        )
        if supplement_to is None:
            await enqueue(
                conn,
                store.SCHEMA,
                topic=RECEIPTS,
                key=report_id,
                payload=event.model_dump_json().encode(),
                headers=headers_for("receipt", report_id, SOURCE),
            )
    return Accepted(receipt, replayed=False)
