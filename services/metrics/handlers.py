"""Metrics' subscriptions: anonymized reports, routing decisions, partner outcomes and satisfaction ratings
become per-report facts. Each event is applied once (its id commits with the facts)."""

from __future__ import annotations

from faststream.kafka import KafkaMessage

from contracts import AnonymizedReport, Outcome, RoutingDecision, SatisfactionFeedback, event_id
from contracts.topics import ANONYMIZED_REPORTS, FEEDBACK, OUTCOMES, ROUTING
from services.metrics import domain, store
from services.runtime.idempotency import once
from services.runtime.kafka import consume, event_id_of, parse_model, subscribe
from services.runtime.service import Service


def register(service: Service) -> None:
    broker, settings, metrics = service.broker, service.settings, service.metrics

    @subscribe(broker, settings, ANONYMIZED_REPORTS)
    async def on_anonymized_report(msg: KafkaMessage) -> None:
        async def process(report: AnonymizedReport) -> str:
            eid = event_id_of(msg, event_id(str(report.report_id), "anonymized"))
            async with once(service.pool, store.SCHEMA, eid) as conn:
                if conn is None:
                    return "duplicate"
                if not domain.counts_as_report(report.kind):
                    return "supplement_skipped"
                await store.record_received(conn, report.report_id, domain.received_facts(report))
            return "report_counted"

        await consume(
            msg,
            broker=broker,
            settings=settings,
            metrics=metrics,
            parse=lambda body: parse_model(AnonymizedReport, body),
            process=process,
        )

    @subscribe(broker, settings, ROUTING)
    async def on_routing_decision(msg: KafkaMessage) -> None:
        async def process(decision: RoutingDecision) -> str:
            eid = event_id_of(msg, event_id(str(decision.report_id), "routing"))
            async with once(service.pool, store.SCHEMA, eid) as conn:
                if conn is None:
                    return "duplicate"
                if not domain.counts_as_report(decision.kind):
                    return "supplement_skipped"
                facts = domain.routing_facts(decision)
                stored_lead = await store.lead_partner_of(conn, decision.report_id)
                lead = domain.merged_lead_partner(stored_lead, facts.lead_partner)
                await store.record_routing(conn, decision.report_id, facts, lead)
            return "routing_counted"

        await consume(
            msg,
            broker=broker,
            settings=settings,
            metrics=metrics,
            parse=lambda body: parse_model(RoutingDecision, body),
            process=process,
        )

    @subscribe(broker, settings, OUTCOMES)
    async def on_outcome(msg: KafkaMessage) -> None:
        async def process(outcome: Outcome) -> str:
            eid = event_id_of(msg, domain.outcome_event_id(outcome))
            async with once(service.pool, store.SCHEMA, eid) as conn:
                if conn is None:
                    return "duplicate"
                # Kept even before the routing decision arrives; counted once a decision names the partner.
                await store.record_outcome(
                    conn, eid, outcome.report_id, outcome.partner_id, outcome.status, outcome.occurred_at
                )
            return "outcome_counted"

        await consume(
            msg,
            broker=broker,
            settings=settings,
            metrics=metrics,
            parse=lambda body: parse_model(Outcome, body),
            process=process,
        )

    @subscribe(broker, settings, FEEDBACK)
    async def on_satisfaction(msg: KafkaMessage) -> None:
        async def process(rating: SatisfactionFeedback) -> str:
            eid = event_id_of(msg, event_id(str(rating.report_id), "feedback"))
            async with once(service.pool, store.SCHEMA, eid) as conn:
                if conn is None:
                    return "duplicate"
                stored = await store.record_satisfaction(conn, rating.report_id, rating.score)
            return "rating_counted" if stored else "rating_exists"

        await consume(
            msg,
            broker=broker,
            settings=settings,
            metrics=metrics,
            parse=lambda body: parse_model(SatisfactionFeedback, body),
            process=process,
        )
