"""Meldpunt contracts: every event and API payload, the topic names and the CloudEvents headers.

Partners may install this package alone to read their routed-report topic and publish outcomes.
"""

from contracts.api import Category, ReceiptIssued, ReportStatus, Stats, StatusRequest, TimelineEntry
from contracts.events import (
    TRIAGE,
    AnonymizedReport,
    CleanAttachment,
    DeadLetter,
    Outcome,
    RawReport,
    Receipt,
    RedactionSummary,
    RiskAssessment,
    RoutedReport,
    RoutingDecision,
    SatisfactionFeedback,
)
from contracts.headers import cloudevent_headers, event_id
from contracts.intake import Attachment, Incident, IntakePayload, Location, Reporter, Subject

__all__ = [
    "TRIAGE",
    "AnonymizedReport",
    "Attachment",
    "Category",
    "CleanAttachment",
    "DeadLetter",
    "Incident",
    "IntakePayload",
    "Location",
    "Outcome",
    "RawReport",
    "Receipt",
    "ReceiptIssued",
    "RedactionSummary",
    "ReportStatus",
    "Reporter",
    "RiskAssessment",
    "RoutedReport",
    "RoutingDecision",
    "SatisfactionFeedback",
    "Stats",
    "StatusRequest",
    "Subject",
    "TimelineEntry",
    "cloudevent_headers",
    "event_id",
]
