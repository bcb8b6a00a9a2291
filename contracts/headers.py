"""CloudEvents attributes carried as Kafka headers, and deterministic event ids."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

SPECVERSION = "1.0"
# Fixed namespace: event ids are uuid5(namespace, "<report-id>/<stage>"), so re-processing the same
# report at the same stage yields the same id and downstream consumers recognise the duplicate.
EVENT_NAMESPACE = uuid.UUID("5b0f4f8e-8f0e-4a53-9a3e-6d1b1f6c2a11")

EVENT_TYPES = {
    "raw": "nl.meldpunt.report.raw.v1",
    "receipt": "nl.meldpunt.receipt.v1",
    "anonymized": "nl.meldpunt.report.anonymized.v1",
    "routing": "nl.meldpunt.routing.decision.v1",
    "partner": "nl.meldpunt.report.routed.v1",
    "outcome": "nl.meldpunt.outcome.v1",
    "feedback": "nl.meldpunt.feedback.v1",
    "deadletter": "nl.meldpunt.deadletter.v1",
}


def event_id(subject_id: str, stage: str) -> str:
    """Deterministic id of the event that ``stage`` produced for ``subject_id`` (usually a report id)."""
    return str(uuid.uuid5(EVENT_NAMESPACE, f"{subject_id}/{stage}"))


def cloudevent_headers(
    *,
    ce_id: str,
    ce_type: str,
    source: str,
    time: datetime | None = None,
    content_type: str = "application/json",
) -> dict[str, str]:
    """The CloudEvents binary-mode attributes for a Kafka record (``ce_`` prefix, spec 1.0)."""
    when = (time or datetime.now(UTC)).astimezone(UTC)
    return {
        "ce_specversion": SPECVERSION,
        "ce_id": ce_id,
        "ce_type": ce_type,
        "ce_source": source,
        "ce_time": when.isoformat().replace("+00:00", "Z"),
        "content-type": content_type,
    }
