"""The operators' triage queue: list what waits for a person and release it to partners.

Used by ``meldpunt triage list|assign`` and by the operator page; both go through ``release``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any
from uuid import UUID

import asyncpg
from faststream.kafka import KafkaBroker

from contracts import TRIAGE, AnonymizedReport, RoutingDecision
from services.router import store
from services.router.handlers import RouterContext, publish_routing


class TriageError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


async def release(
    pool: asyncpg.Pool,
    broker: KafkaBroker,
    ctx: RouterContext,
    report_id: UUID,
    partner_ids: list[str] | None,
) -> RoutingDecision:
    """Send a waiting report to ``partner_ids``, or a reviewed report to the partners it was meant for."""
    async with pool.acquire() as conn, conn.transaction():
        row = await store.lock_triage(conn, report_id)
        if row is None:
            raise TriageError("not_in_triage", f"report {report_id} is not in the triage queue")
        if row["status"] != "waiting":
            raise TriageError("already_released", f"report {report_id} was already released")
        decision = RoutingDecision.model_validate(json.loads(row["decision"]))
        report = AnonymizedReport.model_validate(json.loads(row["report"]))
        targets = list(
            partner_ids
            or decision.intended_partners
            or ([] if decision.lead_partner == TRIAGE else decision.partners)
        )
        if not targets:
            raise TriageError("no_partner", "name a partner: this report has no partner it was meant for")
        unknown = [p for p in targets if p not in ctx.partners or p == TRIAGE]
        if unknown:
            raise TriageError("unknown_partner", f"unknown partner id(s): {', '.join(unknown)}")
        lead = (
            targets[0]
            if partner_ids
            else (decision.lead_partner if decision.lead_partner in targets else targets[0])
        )
        released = decision.model_copy(
            update={
                "lead_partner": lead,
                "partners": sorted(set(targets)),
                "review": False,
                "rule_ids": [*decision.rule_ids, "operator-release"],
                "explanation": decision.explanation
                + f" Released by an operator to {', '.join(sorted(set(targets)))}.",
            }
        )
        await publish_routing(broker, ctx, released, report, targets, stage="routing:release")
        await store.mark_released(conn, report_id, sorted(set(targets)))
    return released


def waiting_summary(row: asyncpg.Record) -> dict[str, Any]:
    decision = json.loads(row["decision"])
    report = json.loads(row["report"])
    return {
        "report_id": str(row["report_id"]),
        "reason": row["reason"],
        "waiting_since": row["created_at"].date().isoformat(),
        "category": decision.get("category"),
        "intended_partners": decision.get("intended_partners") or [],
        "review_reasons": decision.get("review_reasons") or [],
        "explanation": decision.get("explanation"),
        "description": report.get("description", ""),
    }


async def _with_runtime(func: Any) -> Any:
    from services.router.app import load_context
    from services.router.settings import Settings
    from services.runtime.kafka import make_broker

    settings = Settings()
    pool = await asyncpg.create_pool(settings.database_url, min_size=1, max_size=2)
    broker = make_broker(settings)
    try:
        await broker.connect()
        return await func(pool, broker, load_context(settings))
    finally:
        await broker.stop()
        await pool.close()


def list_cmd(args: argparse.Namespace) -> int:
    async def run(pool: asyncpg.Pool, _: KafkaBroker, __: RouterContext) -> list[dict[str, Any]]:
        return [waiting_summary(r) for r in await store.waiting_triage(pool)]

    rows = asyncio.run(_with_runtime(run))
    for row in rows:
        print(json.dumps(row, ensure_ascii=False))
    if not rows:
        print("the triage queue is empty", file=sys.stderr)
    return 0


def assign_cmd(args: argparse.Namespace) -> int:
    async def run(pool: asyncpg.Pool, broker: KafkaBroker, ctx: RouterContext) -> RoutingDecision:
        return await release(pool, broker, ctx, UUID(args.report_id), [args.partner_id])

    try:
        decision = asyncio.run(_with_runtime(run))
    except TriageError as exc:
        print(f"{exc.code}: {exc}", file=sys.stderr)
        return 1
    except ValueError:
        print("not a report id", file=sys.stderr)
        return 2
    print(f"released {decision.report_id} to {', '.join(decision.partners)}")
    return 0
