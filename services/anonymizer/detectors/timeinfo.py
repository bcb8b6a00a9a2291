"""Submission time: coarsened for the report, and never echoed back from the text."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Literal

from services.anonymizer.detectors.base import Span

Granularity = Literal["hour", "day"]
# Dutch local time is UTC+1 or UTC+2; a reporter may quote either, and the clock of a chat may drift.
LOCAL_OFFSETS_HOURS = (0, 1, 2)
DRIFT_MINUTES = 2


def received_period(received_at: datetime, granularity: Granularity) -> str:
    """``2026-06-07T05:00Z`` (hour) or ``2026-06-07`` (day): no minute or second leaves."""
    utc = _as_utc(received_at)
    if granularity == "day":
        return utc.strftime("%Y-%m-%d")
    return utc.strftime("%Y-%m-%dT%H:00Z")


def _as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def submission_clock_spans(text: str, received_at: datetime) -> list[Span]:
    """Clock times in ``text`` that equal the submission minute (UTC or Dutch local time)."""
    utc = _as_utc(received_at).replace(second=0, microsecond=0)
    wanted: set[tuple[int, int]] = set()
    for hours in LOCAL_OFFSETS_HOURS:
        for drift in range(-DRIFT_MINUTES, DRIFT_MINUTES + 1):
            t = utc + timedelta(hours=hours, minutes=drift)
            if t.minute == 0:
                continue  # a full hour ("om 21:00") is an incident time far more often than a clock stamp
            wanted.add((t.hour, t.minute))
    spans = []
    for m in re.finditer(r"(?<![\d:.])(\d{1,2})[:.u](\d{2})(?::\d{2})?(?![\d])", text):
        if (int(m.group(1)), int(m.group(2))) in wanted:
            spans.append(Span(m.start(), m.end(), "timestamp", "time", "submission-clock-time"))
    return spans
