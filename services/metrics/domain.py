"""Metrics' logic: which facts an event adds about a report, and how counts become public figures
(small cells suppressed below the k threshold, ratios only over enough data). Pure: no I/O."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from contracts import TRIAGE, AnonymizedReport, Outcome, RoutingDecision, event_id
from contracts.api import CountRow, Stats

UNKNOWN = "onbekend"
_CALENDAR_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
NO_CAMPAIGN = "geen"

try:
    _LOCAL_TZ: ZoneInfo | None = ZoneInfo("Europe/Amsterdam")
except ZoneInfoNotFoundError:  # no tz database: hot times in UTC
    _LOCAL_TZ = None

# Dimensions a caller may ask for; each is one GROUP BY in the store.
# Dimensions a caller may ask for; each is one GROUP BY in the store.
Dimension = Literal[
    "category",
    "partner",
    "lead_partner",
    "outcome",
    "channel",
    "municipality",
    "campaign",
    "priority",
    "satisfaction",
    "weekday",
    "hour",
    "weekday_hour",
]
DIMENSIONS: tuple[Dimension, ...] = get_args(Dimension)
# Dimensions with a natural order (days, hours, scores) keep it; others list the largest first.
ORDERED_DIMENSIONS = frozenset({"satisfaction", "weekday", "hour", "weekday_hour"})


class UnknownDimension(ValueError):
    pass


def dimension(name: str) -> Dimension:
    if name not in DIMENSIONS:
        raise UnknownDimension(name)
    return name


# --- facts from events --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceivedFacts:
    """What an anonymized report tells metrics. ``category`` is ``None`` when the reporter chose none."""

    category: str | None
    channel: str
    campaign: str | None
    received_day: date | None
    received_hour: int | None


@dataclass(frozen=True)
class RoutingFacts:
    category: str | None
    channel: str | None
    campaign: str | None
    municipality: str | None
    lead_partner: str
    priority: str
    partners: frozenset[str]
    decided_at: datetime | None


def received_slot(period: str) -> tuple[date | None, int | None]:
    """Day and hour (Dutch time) of a coarsened submission time such as ``2026-06-07T05:00Z``.

    A period coarsened to a day gives no hour; anything coarser or unreadable gives neither.
    """
    text = period.strip()
    if "T" not in text:
        # Only a calendar day: fromisoformat would also read a week ('2026-W23') as its Monday.
        if not _CALENDAR_DAY.fullmatch(text):
            return None, None
        try:
            return date.fromisoformat(text), None
        except ValueError:
            return None, None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None, None
    if moment.tzinfo is not None and _LOCAL_TZ is not None:
        moment = moment.astimezone(_LOCAL_TZ)
    return moment.date(), moment.hour


def received_facts(report: AnonymizedReport) -> ReceivedFacts:
    day, hour = received_slot(report.received_period)
    return ReceivedFacts(
        category=report.category,
        channel=report.channel,
        campaign=report.campaign,
        received_day=day,
        received_hour=hour,
    )


def routing_facts(decision: RoutingDecision) -> RoutingFacts:
    return RoutingFacts(
        category=decision.category,
        channel=decision.channel,
        campaign=decision.campaign,
        municipality=decision.municipality,
        lead_partner=decision.lead_partner,
        priority=decision.priority,
        partners=frozenset({*decision.partners, decision.lead_partner}),
        decided_at=decision.decided_at,
    )


def outcome_event_id(outcome: Outcome) -> str:
    """Deterministic fallback for outcomes published without a ``ce_id`` header."""
    if outcome.outcome_id is not None:
        return event_id(str(outcome.report_id), f"outcome:{outcome.outcome_id}")
    qualifier = f"{outcome.partner_id}:{outcome.status}:{outcome.occurred_at.isoformat()}"
    return event_id(str(outcome.report_id), f"outcome:{qualifier}")


def counts_as_report(kind: str) -> bool:
    """A reporter's supplement (an answer to a question) is not a new report."""
    return kind == "report"


def merged_lead_partner(stored: str | None, incoming: str) -> str:
    """A later decision releasing a report from triage names the real lead; triage never overwrites one."""
    if incoming == TRIAGE and stored is not None:
        return stored
    return incoming


# --- public figures ----------------------------------------------------------------------------------


def suppress(rows: Sequence[tuple[str, int]], k: int, *, ordered: bool = False) -> list[CountRow]:
    """Counts below ``k`` become ``None``. When exactly one cell would be hidden it could be recovered
    from the total minus the others, so the next smallest cell is hidden too (secondary suppression).

    Visible cells come largest first, then hidden ones by key, so the order reveals nothing either;
    ``ordered`` dimensions (days, hours, scores) keep their natural order instead.
    """
    hidden = {key for key, count in rows if count < k}
    if len(hidden) == 1 and len(rows) > 1:
        smallest_visible = min((count, key) for key, count in rows if key not in hidden)
        hidden.add(smallest_visible[1])
    out = [CountRow(key=key, count=None if key in hidden else count) for key, count in rows]
    if ordered:
        return sorted(out, key=lambda r: _natural_key(r.key))
    visible = sorted((r for r in out if r.count is not None), key=lambda r: (-(r.count or 0), r.key))
    return visible + sorted((r for r in out if r.count is None), key=lambda r: r.key)


def _natural_key(key: str) -> tuple[int | str, ...]:
    return tuple(int(p) if p.isdigit() else p for p in key.split("-"))


def suppress_total(total: int, k: int) -> int | None:
    return total if total >= k else None


def one_in_n(total: int, hits: int, k: int) -> int | None:
    """'One in N reports leads to an arrest': only when both figures reach ``k``; N in whole reports."""
    if total < k or hits < k or hits == 0:
        return None
    return max(1, round(total / hits))


def median(values: Iterable[float]) -> float | None:
    ordered = sorted(values)
    if not ordered:
        return None
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def response_time_hours(durations_s: Sequence[float], k: int) -> float | None:
    """Median time to a partner's first response, in hours, over at least ``k`` reports."""
    if len(durations_s) < k:
        return None
    value = median(max(0.0, d) for d in durations_s)  # a partner's clock running early is not a negative wait
    return None if value is None else round(value / 3600, 1)


# --- charts ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | None  # None: suppressed
    y: int
    width: float


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    height: int
    max_value: int


def bar_chart(
    rows: Sequence[tuple[str, int | None]], *, width: float = 300, row_height: int = 28
) -> BarChart:
    """Geometry of a horizontal bar chart; the template draws it as inline SVG. Hidden cells get no bar."""
    top = max((v for _, v in rows if v is not None), default=0)
    bars = [
        Bar(label, value, i * row_height, (value / top * width) if value and top else 0.0)
        for i, (label, value) in enumerate(rows)
    ]
    return BarChart(bars=bars, height=max(1, len(rows)) * row_height, max_value=top)


@dataclass(frozen=True)
class HeatCell:
    weekday: int  # ISO: 1 = Monday
    hour: int
    count: int | None
    shade: float  # 0..1; 0 for hidden cells


def heat_grid(rows: Sequence[CountRow]) -> list[HeatCell]:
    """Day-of-week × hour cells from ``weekday_hour`` rows (keys ``"<isodow>-<hour>"``), all 168 of them."""
    counts: dict[tuple[int, int], int | None] = {}
    for row in rows:
        day, _, hour = row.key.partition("-")
        if day.isdigit() and hour.isdigit():
            counts[(int(day), int(hour))] = row.count
    top = max((c for c in counts.values() if c), default=0)
    return [
        HeatCell(d, h, counts.get((d, h), 0), (c / top) if (c := counts.get((d, h), 0)) and top else 0.0)
        for d in range(1, 8)
        for h in range(24)
    ]


@dataclass(frozen=True)
class Figures:
    """Everything the API and the dashboard publish, already suppressed."""

    k: int
    total: int | None
    by: dict[str, list[CountRow]]
    arrest_one_in: int | None
    first_response_hours: float | None


def build_figures(
    k: int,
    total: int,
    counts: Mapping[str, Sequence[tuple[str, int]]],
    arrests: int,
    first_response_s: Sequence[float],
) -> Figures:
    return Figures(
        k=k,
        total=suppress_total(total, k),
        by={name: suppress(rows, k, ordered=name in ORDERED_DIMENSIONS) for name, rows in counts.items()},
        arrest_one_in=one_in_n(total, arrests, k),
        first_response_hours=response_time_hours(first_response_s, k),
    )


def stats_of(figures: Figures) -> Stats:
    return Stats(
        k_threshold=figures.k,
        total_reports=figures.total,
        by_category=figures.by.get("category", []),
        by_partner=figures.by.get("partner", []),
        by_outcome=figures.by.get("outcome", []),
        by_channel=figures.by.get("channel", []),
        by_municipality=figures.by.get("municipality", []),
    )
