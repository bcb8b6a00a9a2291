"""The anonymizer's one subscription: raw report in (ciphertext), AnonymizedReport out."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from faststream.kafka import KafkaMessage
from nacl.public import PrivateKey

from contracts import RawReport, event_id
from contracts.topics import ANONYMIZED_REPORTS, RAW_REPORTS
from services.anonymizer.domain import Anonymizer
from services.runtime.crypto import DecryptError, decrypt
from services.runtime.idempotency import once
from services.runtime.kafka import (
    DeadLetterError,
    consume,
    event_id_of,
    parse_model,
    publish_event,
    subscribe,
)
from services.runtime.service import Service

SCHEMA = "anonymizer"
SOURCE = "/meldpunt/anonymizer"


def register(service: Service, engine: Anonymizer, private_key: PrivateKey) -> None:
    def parse(body: bytes) -> RawReport:
        try:
            plaintext = decrypt(body, private_key)
        except DecryptError:
            raise DeadLetterError("decrypt_failed", "not a sealed box for the anonymizer key") from None
        return parse_model(RawReport, plaintext)

    @subscribe(service.broker, service.settings, RAW_REPORTS)
    async def on_raw_report(msg: KafkaMessage) -> None:
        async def process(raw: RawReport) -> str:
            report_id = str(raw.report_id)
            async with once(service.pool, SCHEMA, event_id_of(msg, event_id(report_id, "raw"))) as conn:
                if conn is None:
                    return "duplicate"
                # deduce is CPU-bound; a worker thread keeps the consumer's heartbeats and health answering.
                report = await asyncio.to_thread(engine.anonymize, raw)
                await publish_event(
                    service.broker,
                    ANONYMIZED_REPORTS,
                    report,
                    key=report_id,
                    stage="anonymized",
                    source=SOURCE,
                    time=_coarse_time(report.received_period),
                )
            return "review" if report.risk.review else "anonymized"

        await consume(
            msg,
            broker=service.broker,
            settings=service.settings,
            metrics=service.metrics,
            parse=parse,
            process=process,
        )


def _coarse_time(period: str) -> datetime:
    """The coarsened submission time as a datetime, used as the record timestamp downstream."""
    try:
        return datetime.fromisoformat(period.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
