"""HTTP payloads of the services' public APIs (beyond the intake payload)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class ApiModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReceiptIssued(ApiModel):
    """Answer to an accepted report. The secret is shown once and stored only as a hash."""

    reference: str
    secret: str
    status_url: str
    urgent_advice: str | None = None
    help: list[str] = Field(default_factory=list)


class StatusRequest(ApiModel):
    reference: str = Field(min_length=4, max_length=32)
    secret: str = Field(min_length=8, max_length=128)


class TimelineEntry(ApiModel):
    on: date
    status: str
    text: str
    question: str | None = None


class ReportStatus(ApiModel):
    reference: str
    timeline: list[TimelineEntry]


class Category(ApiModel):
    code: str
    label_nl: str
    label_en: str


class CountRow(ApiModel):
    key: str
    count: int | None = Field(description="None when the cell is below the k-anonymity threshold.")


class Stats(ApiModel):
    k_threshold: int
    total_reports: int | None
    by_category: list[CountRow]
    by_partner: list[CountRow]
    by_outcome: list[CountRow]
    by_channel: list[CountRow]
    by_municipality: list[CountRow]
