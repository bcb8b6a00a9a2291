"""Events on the Kafka topics. Each model is one topic's value (see ``contracts.topics``)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from contracts.intake import (
    Incident,
    IntakePayload,
    Language,
    Subject,
)

Channel = Literal["web", "api", "whatsapp", "phone", "email"]
ReportKind = Literal["report", "supplement"]
Priority = Literal["normal", "urgent"]
TRIAGE = "triage"


class Event(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RawReport(IntakePayload):
    """The intake payload plus what intake adds. Travels encrypted; never logged, never at rest in clear."""

    report_id: UUID
    kind: ReportKind = "report"
    supplement_to: UUID | None = None
    channel: Channel = "web"
    channel_meta: dict[str, str] = Field(default_factory=dict, repr=False)
    received_at: datetime

    def __repr__(self) -> str:
        # Reporter data must never reach a log line or an error message through a repr.
        return f"RawReport(report_id={self.report_id}, kind={self.kind}, channel={self.channel}, <hidden>)"

    __str__ = __repr__


class CleanAttachment(Event):
    """An attachment after re-encoding: no EXIF, GPS, XMP, ICC profile names or comments."""

    filename: str
    content_type: str
    data_base64: str = Field(repr=False)
    removed_metadata: list[str] = Field(default_factory=list)


class RiskAssessment(Event):
    """Re-identification risk of what remains after redaction."""

    score: float = Field(ge=0.0, le=1.0)
    reasons: list[str] = Field(default_factory=list)
    review: bool = False


class RedactionSummary(Event):
    """What was removed: counts per kind, never the values."""

    counts: dict[str, int] = Field(default_factory=dict)
    dropped_fields: list[str] = Field(default_factory=list)
    attachments_removed: int = 0
    attachment_metadata_removed: list[str] = Field(default_factory=list)


class AnonymizedReport(Event):
    """A report with everything that could identify the reporter removed. Partners act on this."""

    schema_version: Literal["1"] = "1"
    report_id: UUID
    kind: ReportKind = "report"
    supplement_to: UUID | None = None
    channel: Channel
    language: Language = "nl"
    category: str | None = None
    description: str
    incident: Incident | None = None
    subjects: list[Subject] = Field(default_factory=list)
    campaign: str | None = None
    attachments: list[CleanAttachment] = Field(default_factory=list)
    received_period: str = Field(description="Submission time coarsened, e.g. '2026-06-07T05:00Z' (hour).")
    wants_feedback: bool = True
    risk: RiskAssessment
    redactions: RedactionSummary


class RoutingDecision(Event):
    """Where a report went and why. Carries no report content."""

    schema_version: Literal["1"] = "1"
    report_id: UUID
    kind: ReportKind = "report"
    supplement_to: UUID | None = None
    lead_partner: str
    partners: list[str]
    legal_domains: list[str]
    category: str | None
    category_source: Literal["reporter", "classifier", "none"] = "reporter"
    category_confidence: float | None = None
    priority: Priority = "normal"
    municipality: str | None = Field(default=None, description="CBS name of the incident municipality.")
    earlier_reports: int = 0
    review: bool = False
    review_reasons: list[str] = Field(default_factory=list)
    intended_partners: list[str] = Field(
        default_factory=list, description="Partners a report waiting for review is meant for."
    )
    rule_ids: list[str]
    ruleset_version: str
    explanation: str
    channel: Channel | None = None
    campaign: str | None = None
    decided_at: datetime | None = None


class RoutedReport(Event):
    """What one partner receives on ``meldpunt.partner.<partner-id>.v1``."""

    schema_version: Literal["1"] = "1"
    report_id: UUID
    partner_id: str
    role: Literal["lead", "informed"]
    lead_partner: str
    partners: list[str]
    legal_domains: list[str]
    category: str | None
    priority: Priority
    municipality: str | None = None
    earlier_reports: int = 0
    earlier_reports_window_days: int = 365
    report: AnonymizedReport
    ruleset_version: str
    explanation: str


class Receipt(Event):
    """Issued by intake; lets feedback match a reporter's reference + secret to a report."""

    schema_version: Literal["1"] = "1"
    report_id: UUID
    reference: str
    secret_hash: str = Field(repr=False, description="Argon2id hash of the receipt secret.")
    wants_feedback: bool = True
    language: Language = "nl"


OutcomeStatus = Literal[
    "received",
    "investigating",
    "inspection_done",
    "arrest",
    "action_taken",
    "no_action",
    "closed",
    "question",
]


class Outcome(Event):
    """Published by a partner about a report it received."""

    schema_version: Literal["1"] = "1"
    outcome_id: UUID | None = Field(
        default=None, description="Set by the partner to make retries idempotent."
    )
    report_id: UUID
    partner_id: str
    status: OutcomeStatus
    message: str | None = Field(
        default=None, max_length=2000, description="Shown to the reporter; a question when status=question."
    )
    occurred_at: datetime


class SatisfactionFeedback(Event):
    """A reporter's rating of the process. No free text."""

    schema_version: Literal["1"] = "1"
    report_id: UUID
    score: int = Field(ge=1, le=5)
    rated_at: datetime


class DeadLetter(Event):
    """A message a consumer could not process. Raw payloads stay ciphertext here."""

    schema_version: Literal["1"] = "1"
    service: str
    reason_code: str
    error: str = Field(description="Error class and a safe message; never message content.")
    origin_topic: str
    origin_partition: int
    origin_offset: int
    origin_key: str | None = None
    origin_headers: dict[str, str] = Field(default_factory=dict)
    payload_base64: str = Field(repr=False)
    failed_at: datetime
