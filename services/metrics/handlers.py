"""Metrics' subscriptions: anonymized reports, routing decisions, partner outcomes and satisfaction ratings
become per-report facts. Each event is applied once (its id commits with the facts)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import asyncpg
from faststream.kafka import KafkaMessage

from contracts import AnonymizedReport, Outcome, RoutingDecision, SatisfactionFeedback, event_id
from contracts.topics import ANONYMIZED_REPORTS, FEEDBACK, OUTCOMES, ROUTING
from services.metrics import domain, store
from services.runtime.kafka import subscribe
from services.runtime.service import Service, apply_once


def register(service: Service) -> None:
    broker, settings = service.broker, service.settings

    async def count_report(conn: asyncpg.Connection, report: AnonymizedReport, _: str) -> str:
        if not domain.counts_as_report(report.kind):
            return "supplement_skipped"
        await store.record_received(conn, report.report_id, domain.received_facts(report))
        return "report_counted"

    async def count_routing(conn: asyncpg.Connection, decision: RoutingDecision, _: str) -> str:
        if not domain.counts_as_report(decision.kind):
            return "supplement_skipped"
        facts = domain.routing_facts(decision)
        stored_lead = await store.lead_partner_of(conn, decision.report_id)
        lead = domain.merged_lead_partner(stored_lead, facts.lead_partner)
        await store.record_routing(conn, decision.report_id, facts, lead)
        return "routing_counted"

    async def count_outcome(conn: asyncpg.Connection, outcome: Outcome, eid: str) -> str:
        # Kept even before the routing decision arrives; counted once a decision names the partner.
        await store.record_outcome(
            conn, eid, outcome.report_id, outcome.partner_id, outcome.status, outcome.occurred_at
        )
        return "outcome_counted"

    async def count_rating(conn: asyncpg.Connection, rating: SatisfactionFeedback, _: str) -> str:
        stored = await store.record_satisfaction(conn, rating.report_id, rating.score)
        return "rating_counted" if stored else "rating_exists"

    @subscribe(broker, settings, ANONYMIZED_REPORTS)
    async def on_anonymized_report(msg: KafkaMessage) -> None:
        await apply_once(
            service, msg, AnonymizedReport, fallback_id=_stage_id("anonymized"), apply=count_report
        )

    @subscribe(broker, settings, ROUTING)
    async def on_routing_decision(msg: KafkaMessage) -> None:
        await apply_once(service, msg, RoutingDecision, fallback_id=_stage_id("routing"), apply=count_routing)

    @subscribe(broker, settings, OUTCOMES)
    async def on_outcome(msg: KafkaMessage) -> None:
        await apply_once(service, msg, Outcome, fallback_id=domain.outcome_event_id, apply=count_outcome)

    @subscribe(broker, settings, FEEDBACK)
    async def on_satisfaction(msg: KafkaMessage) -> None:
        await apply_once(
            service, msg, SatisfactionFeedback, fallback_id=_stage_id("feedback"), apply=count_rating
        )


def _stage_id(stage: str) -> Callable[[Any], str]:
    return lambda event: event_id(str(event.report_id), stage)
