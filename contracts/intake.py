"""The intake payload v1: what the public API and the web form post."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

# Size limits are part of the contract: intake rejects anything larger with a 422 or 413.
MAX_DESCRIPTION_CHARS = 10_000
MAX_FIELD_CHARS = 500
MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
# base64 grows data by 4/3; the limit on the encoded string follows from the decoded limit.
MAX_ATTACHMENT_BASE64_CHARS = (MAX_ATTACHMENT_BYTES * 4) // 3 + 4
ACCEPTED_ATTACHMENT_TYPES = ("image/jpeg", "image/png", "image/webp")

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_FIELD_CHARS)]
Language = Literal["nl", "en"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Location(Strict):
    street: ShortText | None = None
    house_number: ShortText | None = None
    postcode: ShortText | None = None
    city: ShortText | None = None
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    description: ShortText | None = None


class Incident(Strict):
    occurred: ShortText | None = None
    ongoing: bool = False
    location: Location | None = None


SubjectKind = Literal["person", "vehicle", "organisation", "premises", "other"]


class Subject(Strict):
    """Someone or something the report is about. Partners need these facts: they are kept."""

    kind: SubjectKind
    name: ShortText | None = None
    nickname: ShortText | None = None
    description: ShortText | None = None
    address: ShortText | None = None
    phone: ShortText | None = None
    social_media: ShortText | None = None
    license_plate: ShortText | None = None
    kvk_number: ShortText | None = None


class Reporter(Strict):
    """What a reporter typed about themselves. Never forwarded; values are hidden in repr."""

    name: ShortText | None = None
    email: ShortText | None = None
    phone: ShortText | None = None
    address: ShortText | None = None
    relation: ShortText | None = None
    wants_feedback: bool = True

    def __repr__(self) -> str:
        return "Reporter(<hidden>)"

    __str__ = __repr__


class Attachment(Strict):
    filename: ShortText = "bijlage"
    content_type: ShortText
    data_base64: Annotated[str, StringConstraints(max_length=MAX_ATTACHMENT_BASE64_CHARS)] = Field(repr=False)


class IntakePayload(Strict):
    """Body of ``POST /api/v1/reports``. Only ``description`` is required."""

    submission_id: UUID | None = None
    language: Language = "nl"
    category: ShortText | None = None
    description: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_DESCRIPTION_CHARS)
    ]
    incident: Incident | None = None
    subjects: list[Subject] = Field(default_factory=list, max_length=20)
    reporter: Reporter | None = None
    campaign: Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)] | None = None
    attachments: list[Attachment] = Field(default_factory=list, max_length=MAX_ATTACHMENTS)
