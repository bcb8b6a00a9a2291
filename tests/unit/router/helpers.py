"""Builders for router tests: AnonymizedReports from a few fields, and the shipped data loaded once."""

from __future__ import annotations

import uuid
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from contracts.events import AnonymizedReport, RedactionSummary, RiskAssessment
from services.router.geo import Gazetteer
from services.router.rules import RuleSet, load_ruleset

DATA = Path(__file__).parent / "data"


@cache
def rules() -> RuleSet:
    return load_ruleset()


@cache
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def report(
    description: str = "melding",
    *,
    category: str | None = None,
    city: str | None = None,
    postcode: str | None = None,
    street: str | None = None,
    house_number: str | None = None,
    location_description: str | None = None,
    ongoing: bool = False,
    occurred: str | None = None,
    review: bool = False,
    reasons: list[str] | None = None,
    channel: str = "web",
    **extra: Any,
) -> AnonymizedReport:
    location = {
        k: v
        for k, v in dict(
            city=city,
            postcode=postcode,
            street=street,
            house_number=house_number,
            description=location_description,
        ).items()
        if v is not None
    }
    incident: dict[str, Any] = {"ongoing": ongoing}
    if occurred:
        incident["occurred"] = occurred
    if location:
        incident["location"] = location
    return AnonymizedReport.model_validate(
        dict(
            report_id=extra.pop("report_id", uuid.uuid4()),
            channel=channel,
            category=category,
            description=description,
            incident=incident,
            received_period="2026-06-07T05:00Z",
            risk=RiskAssessment(score=0.5 if review else 0.0, reasons=reasons or [], review=review),
            redactions=RedactionSummary(),
            **extra,
        )
    )


def handwritten(name: str) -> list[dict[str, Any]]:
    return list(yaml.safe_load((DATA / name).read_text(encoding="utf-8"))["reports"])
