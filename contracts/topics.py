"""Kafka topic names. A breaking change to an event is a new topic version."""

from __future__ import annotations

import re

RAW_REPORTS = "meldpunt.reports.raw.v1"
RECEIPTS = "meldpunt.receipts.v1"
ANONYMIZED_REPORTS = "meldpunt.reports.anonymized.v1"
ROUTING = "meldpunt.routing.v1"
OUTCOMES = "meldpunt.outcomes.v1"
FEEDBACK = "meldpunt.feedback.v1"
DEADLETTER = "meldpunt.deadletter.v1"

PARTNER_ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_PARTNER_ID = re.compile(PARTNER_ID_PATTERN)

CORE_TOPICS: tuple[str, ...] = (
    RAW_REPORTS,
    RECEIPTS,
    ANONYMIZED_REPORTS,
    ROUTING,
    OUTCOMES,
    FEEDBACK,
    DEADLETTER,
)


def partner_topic(partner_id: str) -> str:
    """The routed-report topic of one partner, e.g. ``meldpunt.partner.politie.v1``."""
    if not _PARTNER_ID.match(partner_id):
        raise ValueError(f"not a partner id: {partner_id!r}")
    return f"meldpunt.partner.{partner_id}.v1"
