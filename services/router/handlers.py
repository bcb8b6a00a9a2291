"""The router's subscription: AnonymizedReport in; RoutedReports to partner topics and a RoutingDecision out.

Reports that wait for a person (unroutable, or marked for review by the anonymizer) go to the triage
queue and the triage topic only, until an operator releases them (``services.router.triage``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import asyncpg
from faststream.kafka import KafkaBroker, KafkaMessage

from contracts import TRIAGE, AnonymizedReport, RoutingDecision, event_id
from contracts.topics import ANONYMIZED_REPORTS, ROUTING, partner_topic
from services.router import domain, store
from services.router.geo import Gazetteer
from services.router.rules import PartnerRegistry, RuleSet
from services.router.settings import Settings
from services.runtime.kafka import publish_event, subscribe
from services.runtime.service import Service, apply_once

SOURCE = "/meldpunt/router"
PRIORITY_HEADER = "meldpunt_priority"


@dataclass(frozen=True)
class RouterContext:
    rules: RuleSet
    gazetteer: Gazetteer
    partners: PartnerRegistry
    location_secret: bytes
    window_days: int


async def publish_routing(
    broker: KafkaBroker,
    ctx: RouterContext,
    decision: RoutingDecision,
    report: AnonymizedReport,
    targets: list[str],
    *,
    stage: str = "routing",
) -> None:
    """Send the report to each target partner (lead first), then the decision."""
    report_id = str(decision.report_id)
    ordered = sorted(targets, key=lambda p: (p != decision.lead_partner, p))
    for partner_id in ordered:
        routed = domain.routed_report_for(
            decision, report, ctx.partners[partner_id], window_days=ctx.window_days
        )
        await publish_event(
            broker,
            partner_topic(partner_id),
            routed,
            key=report_id,
            stage=f"partner:{partner_id}:{stage}",
            source=SOURCE,
            time=_coarse(decision.decided_at),
            # Lets a partner's consumer take urgent reports first without parsing the body.
            extra_headers={PRIORITY_HEADER: decision.priority},
        )
    await publish_event(
        broker,
        ROUTING,
        decision,
        key=report_id,
        stage=stage,
        source=SOURCE,
        time=_coarse(decision.decided_at),
    )


def _coarse(when: datetime | None) -> datetime:
    return (when or datetime.now(UTC)).replace(minute=0, second=0, microsecond=0)


async def route_report(
    conn: asyncpg.Connection, broker: KafkaBroker, ctx: RouterContext, report: AnonymizedReport
) -> RoutingDecision:
    original = None
    if report.kind == "supplement" and report.supplement_to is not None:
        found = await store.find_decision(conn, report.supplement_to)
        original = RoutingDecision.model_validate(found) if found else None
    earlier = 0
    if report.kind == "report":
        location = report.incident.location if report.incident else None
        resolution = ctx.gazetteer.resolve(location, report.description)
        key = domain.location_key_for_report(
            report, ctx.location_secret, municipality=resolution.municipality
        )
        if key:
            earlier = await store.count_and_record_location(conn, key, report.report_id, ctx.window_days)
    decision = domain.decide_route(
        report,
        ctx.rules,
        ctx.gazetteer,
        earlier_reports=earlier,
        now=datetime.now(UTC),
        window_days=ctx.window_days,
        original=original,
    )
    decision = decision.model_copy(update={"channel": report.channel, "campaign": report.campaign})
    await store.save_decision(conn, report.report_id, decision.model_dump(mode="json"))
    if decision.review or decision.lead_partner == TRIAGE:
        reason = "review" if decision.review else "unroutable"
        await store.enqueue_triage(
            conn, report.report_id, decision.model_dump(mode="json"), report.model_dump(mode="json"), reason
        )
        await publish_routing(broker, ctx, decision, report, [TRIAGE])
    else:
        await publish_routing(broker, ctx, decision, report, decision.partners)
    return decision


def register(service: Service, ctx: RouterContext) -> None:
    settings: Settings = service.settings  # type: ignore[assignment]

    async def route(conn: asyncpg.Connection, report: AnonymizedReport, _: str) -> str:
        decision = await route_report(conn, service.broker, ctx, report)
        if decision.review:
            return "review"
        return "triage" if decision.lead_partner == TRIAGE else decision.priority

    @subscribe(service.broker, settings, ANONYMIZED_REPORTS)
    async def on_anonymized_report(msg: KafkaMessage) -> None:
        await apply_once(
            service,
            msg,
            AnonymizedReport,
            fallback_id=lambda r: event_id(str(r.report_id), "anonymized"),
            apply=route,
        )
