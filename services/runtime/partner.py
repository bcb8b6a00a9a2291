"""Partner tools: ``meldpunt partner listen`` follows a partner's routed reports, ``partner outcome``
publishes an outcome event as that partner. What a partner's own consumer would do, for onboarding."""

from __future__ import annotations

import argparse
import asyncio
import sys
import uuid
from datetime import UTC, datetime
from typing import get_args

from aiokafka import AIOKafkaConsumer, TopicPartition
from pydantic import ValidationError

from contracts import Outcome
from contracts.events import OutcomeStatus
from contracts.topics import OUTCOMES, partner_topic
from services.runtime.kafka import make_broker, publish_event
from services.runtime.settings import ServiceSettings


class PartnerSettings(ServiceSettings):
    service_name: str = "partner"


async def _listen(settings: ServiceSettings, topic: str, follow: bool) -> None:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap,
        enable_auto_commit=False,
        fetch_max_wait_ms=min(settings.kafka_fetch_max_wait_ms, 100),
    )
    await consumer.start()
    try:
        partitions = None
        for _ in range(50):
            partitions = consumer.partitions_for_topic(topic)
            if partitions:
                break
            await consumer._client.force_metadata_update()  # noqa: SLF001 - no public way to refresh
            await asyncio.sleep(0.2)
        if not partitions:
            print(f"topic {topic} does not exist yet; is the platform running?", file=sys.stderr)
            return
        tps = [TopicPartition(topic, p) for p in sorted(partitions)]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        while True:
            batch = await consumer.getmany(timeout_ms=1000)
            for records in batch.values():
                for record in records:
                    sys.stdout.write(record.value.decode("utf-8") + "\n")
            sys.stdout.flush()
            if not follow:
                ends = await consumer.end_offsets(tps)
                positions = [await consumer.position(tp) for tp in tps]
                if all(pos >= ends[tp] for pos, tp in zip(positions, tps, strict=True)):
                    return
    finally:
        await consumer.stop()


def listen(args: argparse.Namespace) -> int:
    try:
        topic = partner_topic(args.partner_id)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    try:
        asyncio.run(_listen(PartnerSettings(), topic, follow=not args.no_follow))
    except KeyboardInterrupt:
        pass
    return 0


async def _publish(settings: ServiceSettings, outcome: Outcome) -> None:
    broker = make_broker(settings)
    await broker.connect()
    try:
        # One event per partner outcome: the id derives from the report and the partner's outcome id.
        await publish_event(
            broker,
            OUTCOMES,
            outcome,
            key=str(outcome.report_id),
            stage=f"outcome:{outcome.outcome_id}",
            source=f"/partners/{outcome.partner_id}",
        )
    finally:
        await broker.stop()


def outcome(args: argparse.Namespace) -> int:
    try:
        event = Outcome(
            outcome_id=uuid.uuid4(),
            report_id=args.report_id,
            partner_id=args.partner_id,
            status=args.status,
            message=args.message,
            occurred_at=datetime.now(UTC),
        )
        partner_topic(args.partner_id)
    except (ValidationError, ValueError) as exc:
        allowed = ", ".join(get_args(OutcomeStatus))
        print(f"invalid outcome: {type(exc).__name__}. Status must be one of: {allowed}", file=sys.stderr)
        return 2
    asyncio.run(_publish(PartnerSettings(), event))
    print(f"published {event.status} for {event.report_id} as {event.partner_id}")
    return 0
