"""The anonymizer's one subscription: raw report in (ciphertext), AnonymizedReport out."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import asyncpg
from faststream.kafka import KafkaMessage
from nacl.public import PrivateKey

from contracts import RawReport, event_id
from contracts.topics import ANONYMIZED_REPORTS, RAW_REPORTS
from services.anonymizer.domain import Anonymizer
from services.runtime.crypto import DecryptError, decrypt
from services.runtime.kafka import (
    DeadLetterError,
    publish_event,
    subscribe,
)
from services.runtime.service import Service, apply_once

SCHEMA = "anonymizer"
SOURCE = "/meldpunt/anonymizer"


def register(service: Service, engine: Anonymizer, private_key: PrivateKey) -> None:
    def open_box(body: bytes) -> bytes:
        try:
            return decrypt(body, private_key)
        except DecryptError:
            raise DeadLetterError("decrypt_failed", "not a sealed box for the anonymizer key") from None

    async def anonymize(conn: asyncpg.Connection, raw: RawReport, _: str) -> str:
        # deduce is CPU-bound; a worker thread keeps the consumer's heartbeats and health answering.
        report = await asyncio.to_thread(engine.anonymize, raw)
        await publish_event(
            service.broker,
            ANONYMIZED_REPORTS,
            report,
            key=str(raw.report_id),
            stage="anonymized",
            source=SOURCE,
            time=_coarse_time(report.received_period),
        )
        return "review" if report.risk.review else "anonymized"

    @subscribe(service.broker, service.settings, RAW_REPORTS)
    async def on_raw_report(msg: KafkaMessage) -> None:
        # The body is a sealed box: decrypt before the contract check, both failures become dead letters.
        await apply_once(
            service,
            msg,
            RawReport,
            fallback_id=lambda raw: event_id(str(raw.report_id), "raw"),
            apply=anonymize,
            decode=open_box,
        )


def _coarse_time(period: str) -> datetime:
    """The coarsened submission time as a datetime, used as the record timestamp downstream."""
    try:
        return datetime.fromisoformat(period.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
