"""The dashboard: server-rendered HTML with inline SVG bar charts, NL and EN, no JavaScript, no CDN.
It shows exactly the suppressed figures the API publishes."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import BaseModel, ConfigDict

from contracts.api import CountRow
from contracts.taxonomy import load_taxonomy
from services.metrics import domain
from services.metrics.api import load_figures
from services.runtime.service import Service

LABELS_FILE = Path(__file__).parent / "data" / "labels.yaml"
_TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
MAX_BARS = 20  # the long tail of municipalities or campaigns is in the API and the table


class Phrase(BaseModel):
    model_config = ConfigDict(extra="forbid")
    nl: str
    en: str


class Labels(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ui: dict[str, Phrase]
    outcomes: dict[str, Phrase]
    channels: dict[str, Phrase]
    weekdays: dict[str, list[str]]


@cache
def load_labels(path: Path = LABELS_FILE) -> Labels:
    labels = Labels.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    if any(len(days) != 7 for days in labels.weekdays.values()):
        raise ValueError("weekdays need seven names per language")
    return labels


def _namer(dimension: str, lang: str, labels: Labels) -> Callable[[str], str]:
    """How a key of ``dimension`` is shown to a reader."""
    taxonomy = load_taxonomy()

    def pick(phrase: Phrase) -> str:
        return phrase.en if lang == "en" else phrase.nl

    def name(key: str) -> str:
        if key == domain.UNKNOWN:
            return pick(labels.ui["unknown"])
        if dimension == "campaign" and key == domain.NO_CAMPAIGN:
            return pick(labels.ui["no_campaign"])
        if dimension == "category" and (category := taxonomy.get(key)):
            return category.en if lang == "en" else category.nl
        if dimension == "outcome" and key in labels.outcomes:
            return pick(labels.outcomes[key])
        if dimension == "channel" and key in labels.channels:
            return pick(labels.channels[key])
        if dimension == "weekday" and key.isdigit() and 1 <= int(key) <= 7:
            return labels.weekdays[lang][int(key) - 1]
        if dimension == "hour" and key.isdigit():
            return f"{int(key):02d}:00"
        return key

    return name


def _chart(dimension: str, rows: list[CountRow], lang: str, labels: Labels) -> dict[str, Any]:
    name = _namer(dimension, lang, labels)
    named = [(name(r.key), r.count) for r in rows]
    return {
        "id": dimension,
        "title": getattr(labels.ui[f"by_{dimension}"], lang),
        "chart": domain.bar_chart(named[:MAX_BARS]),
        "rows": named,
    }


def build_router(service: Service, k: int) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/", response_class=HTMLResponse)
    async def dashboard(lang: str | None = None) -> HTMLResponse:
        language = "en" if lang == "en" else "nl"
        labels = load_labels()
        t = {key: getattr(p, language).replace("{k}", str(k)) for key, p in labels.ui.items()}
        figures = await load_figures(service.pool, k)
        charts = [
            _chart(d, figures.by[d], language, labels)
            for d in (
                "category",
                "municipality",
                "outcome",
                "partner",
                "channel",
                "campaign",
                "satisfaction",
                "weekday",
                "hour",
            )
        ]
        hours = figures.first_response_hours
        if hours is None:
            response_time = t["response_time_unknown"]
        elif hours >= 48:
            response_time = t["days"].replace("{n}", f"{hours / 24:.1f}")
        else:
            response_time = t["hours"].replace("{n}", f"{hours:.1f}")
        html = _TEMPLATES.get_template("dashboard.html").render(
            lang=language,
            other_lang="nl" if language == "en" else "en",
            t=t,
            k=k,
            figures=figures,
            charts=charts,
            response_time=response_time,
            heat=domain.heat_grid(figures.by["weekday_hour"]),
            weekdays=labels.weekdays[language],
        )
        return HTMLResponse(html, headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"})

    return router
