"""The broker, topics, subscriptions, publishing with CloudEvents headers, and the dead-letter path.

One setting (``kafka_static_assignment``) switches between consumer groups (real Kafka) and a single
consumer per service with static partition assignment (the embedded broker); the code is the same.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, TypeVar, cast

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaMessage
from faststream.kafka import TopicPartition as FsTopicPartition
from faststream.kafka.opentelemetry import KafkaTelemetryMiddleware
from faststream.kafka.prometheus import KafkaPrometheusMiddleware
from faststream.security import SASLPlaintext
from pydantic import BaseModel, ValidationError

from contracts import DeadLetter, cloudevent_headers, event_id
from contracts.headers import EVENT_TYPES
from contracts.topics import DEADLETTER
from services.runtime.logging import get_logger
from services.runtime.settings import ServiceSettings
from services.runtime.telemetry import ServiceMetrics

log = get_logger(__name__)
M = TypeVar("M", bound=BaseModel)


_FASTSTREAM_LOGGER = logging.getLogger("meldpunt.faststream")
_FASTSTREAM_LOGGER.setLevel(logging.WARNING)


def _security(settings: ServiceSettings) -> Any:
    if settings.kafka_sasl_username and settings.kafka_sasl_password:
        return SASLPlaintext(username=settings.kafka_sasl_username, password=settings.kafka_sasl_password)
    return None


def make_broker(settings: ServiceSettings, metrics: ServiceMetrics | None = None) -> KafkaBroker:
    middlewares: list[Any] = [KafkaTelemetryMiddleware()]
    if metrics is not None:
        middlewares.append(
            KafkaPrometheusMiddleware(registry=metrics.registry, app_name=settings.service_name)
        )
    return KafkaBroker(
        settings.kafka_bootstrap,
        client_id=f"meldpunt-{settings.service_name}",
        enable_idempotence=settings.kafka_enable_idempotence,
        acks="all" if settings.kafka_enable_idempotence else 1,
        security=_security(settings),
        middlewares=middlewares,
        # FastStream's own log lines (one per message) stay off; failures are logged by ``consume``.
        logger=_FASTSTREAM_LOGGER,
    )


async def ensure_topics(settings: ServiceSettings, topics: list[str] | tuple[str, ...]) -> None:
    """Create the topics a service needs when they are missing (idempotent)."""
    if not settings.kafka_create_topics or not topics:
        return
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in topics if t not in existing]
        if missing:
            try:
                await admin.create_topics(
                    [
                        NewTopic(t, settings.kafka_partitions, settings.kafka_replication_factor)
                        for t in missing
                    ]
                )
            except TopicAlreadyExistsError:
                pass
            log.info("topics_created", topics=missing)
    finally:
        await admin.close()


async def _keep_bytes(msg: Any) -> bytes:
    # Handlers validate bodies themselves so that bad input becomes a dead letter; FastStream must not
    # decode (a ciphertext or broken JSON body would fail before the handler and be redelivered forever).
    return bytes(msg.body)


Handler = TypeVar("Handler", bound=Callable[..., Awaitable[None]])


def subscribe(
    broker: KafkaBroker, settings: ServiceSettings, topic: str, *, group: str | None = None
) -> Callable[[Handler], Handler]:
    """A subscriber decorator: commit after the handler returns, redeliver when it raises."""
    group_id = group or settings.consumer_group
    common: dict[str, Any] = {
        "group_id": group_id,
        "auto_offset_reset": "earliest",
        "fetch_max_wait_ms": settings.kafka_fetch_max_wait_ms,
        "ack_policy": AckPolicy.NACK_ON_ERROR,
        "decoder": _keep_bytes,
    }
    if settings.kafka_static_assignment:
        partitions = [FsTopicPartition(topic, p) for p in range(settings.kafka_partitions)]
        return cast(Callable[[Handler], Handler], broker.subscriber(partitions=partitions, **common))
    return cast(Callable[[Handler], Handler], broker.subscriber(topic, **common))


def headers_for(stage: str, subject_id: str, source: str, time: datetime | None = None) -> dict[str, str]:
    """CloudEvents headers; ``stage`` may carry a qualifier after a colon (``outcome:<id>``)."""
    kind = stage.split(":")[0]
    return cloudevent_headers(
        ce_id=event_id(subject_id, stage),
        ce_type=EVENT_TYPES[kind],
        source=source,
        time=time,
        # The raw report travels as a sealed box: bytes, not JSON.
        content_type="application/octet-stream" if kind == "raw" else "application/json",
    )


async def publish_event(
    broker: KafkaBroker,
    topic: str,
    event: BaseModel,
    *,
    key: str,
    stage: str,
    source: str,
    time: datetime | None = None,
    extra_headers: dict[str, str] | None = None,
) -> None:
    """Publish one event with CloudEvents headers and a deterministic id per (key, stage).

    ``time`` also becomes the record timestamp, so a coarsened time stays coarse on the wire.
    """
    headers = {**headers_for(stage, key, source, time), **(extra_headers or {})}
    await broker.publish(
        event.model_dump_json().encode(),
        topic=topic,
        key=key.encode(),
        headers=headers,
        timestamp_ms=int(time.timestamp() * 1000) if time else None,
    )


class DeadLetterError(Exception):
    """Raised in a consumer's parse step: the message goes to the dead-letter topic with ``reason``."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def schema_error_detail(exc: ValidationError) -> str:
    """Which fields failed and how, never the values (they may be a reporter's)."""
    parts = [
        ".".join(str(p) for p in err.get("loc", ())) + ":" + str(err.get("type", "invalid"))
        for err in exc.errors()[:10]
    ]
    return "; ".join(parts)


def parse_model(model: type[M], body: bytes) -> M:
    """Validate a message body against a contract model or raise a ``bad_schema`` dead letter."""
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        raise DeadLetterError("bad_schema", schema_error_detail(exc)) from None


def event_id_of(msg: KafkaMessage, fallback: str) -> str:
    """The CloudEvents id of a message, or a deterministic fallback for producers that set none."""
    ce_id = msg.headers.get("ce_id")
    return str(ce_id) if ce_id else fallback


def _header_dict(msg: KafkaMessage) -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in msg.raw_message.headers or ():  # type: ignore[union-attr]
        if k.startswith("ce_") or k in ("traceparent", "content-type"):
            out[k] = v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)
    return out


async def dead_letter(
    broker: KafkaBroker, settings: ServiceSettings, msg: KafkaMessage, reason: str, error: str
) -> None:
    record = msg.raw_message
    key = record.key.decode("utf-8", "replace") if isinstance(record.key, bytes) else None  # type: ignore[union-attr]
    letter = DeadLetter(
        service=settings.service_name,
        reason_code=reason,
        error=error[:500],
        origin_topic=record.topic,  # type: ignore[union-attr]
        origin_partition=record.partition,  # type: ignore[union-attr]
        origin_offset=record.offset,  # type: ignore[union-attr]
        origin_key=key,
        origin_headers=_header_dict(msg),
        payload_base64=base64.b64encode(msg.body).decode(),
        failed_at=datetime.now(UTC),
    )
    subject = f"{record.topic}/{record.partition}/{record.offset}"  # type: ignore[union-attr]
    await publish_event(
        broker,
        DEADLETTER,
        letter,
        key=subject,
        stage="deadletter",
        source=f"/meldpunt/{settings.service_name}",
    )
    log.warning("dead_lettered", reason=reason, topic=letter.origin_topic, offset=letter.origin_offset)


async def consume(
    msg: KafkaMessage,
    *,
    broker: KafkaBroker,
    settings: ServiceSettings,
    metrics: ServiceMetrics,
    parse: Callable[[bytes], Any],
    process: Callable[[Any], Awaitable[str]],
) -> None:
    """Parse then process one message. Bad input goes to the dead-letter topic and the consumer moves on;
    infrastructure errors propagate so the message is redelivered."""
    try:
        item = parse(msg.body)
    except DeadLetterError as exc:
        metrics.deadletter(exc.reason)
        await dead_letter(broker, settings, msg, exc.reason, exc.detail)
        return
    try:
        outcome = await process(item)
    except Exception as exc:
        # Logged by class only (messages may quote content); the message is redelivered.
        metrics.count("error")
        log.error(
            "handler_failed",
            error=type(exc).__name__,
            topic=msg.raw_message.topic,  # type: ignore[union-attr]
            offset=msg.raw_message.offset,  # type: ignore[union-attr]
        )
        raise
    metrics.count(outcome)
