"""The reporter's web form as data: a multipart body → fields and files → an ``IntakePayload``.

Pure functions, no I/O: the web layer (``web.py``) reads the request and renders; this module decides.
"""

from __future__ import annotations

import base64
import dataclasses
import re
import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import python_multipart
from pydantic import ValidationError
from python_multipart.multipart import parse_options_header

from contracts import IntakePayload
from contracts.intake import (
    ACCEPTED_ATTACHMENT_TYPES,
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS,
    MAX_DESCRIPTION_CHARS,
    MAX_FIELD_CHARS,
)

# The category select's "don't know" choice; the router then classifies the report from its text.
UNKNOWN_CATEGORY = "unknown"
SUBJECT_KINDS = ("person", "vehicle", "organisation", "premises", "other")
LANGUAGES = ("nl", "en")

LOCATION_FIELDS = {
    "street": "street",
    "house_number": "house_number",
    "postcode": "postcode",
    "city": "city",
    "place_description": "description",
}
SUBJECT_FIELDS = {
    "subject_name": "name",
    "subject_nickname": "nickname",
    "subject_description": "description",
    "subject_license_plate": "license_plate",
    "subject_address": "address",
}
REPORTER_FIELDS = {
    "reporter_name": "name",
    "reporter_phone": "phone",
    "reporter_email": "email",
    "reporter_address": "address",
}
# Every free-text input of the form and its limit (the contract's), in the order the form shows them.
TEXT_LIMITS: dict[str, int] = {
    "description": MAX_DESCRIPTION_CHARS,
    "occurred": MAX_FIELD_CHARS,
    **dict.fromkeys(LOCATION_FIELDS, MAX_FIELD_CHARS),
    **dict.fromkeys(SUBJECT_FIELDS, MAX_FIELD_CHARS),
    **dict.fromkeys(REPORTER_FIELDS, MAX_FIELD_CHARS),
}
CHECKBOXES = ("ongoing", "wants_feedback")
ATTACHMENTS_FIELD = "attachments"

# Types are recognised from the file's first bytes, not from the name or the browser's claim.
_SIGNATURES: tuple[tuple[str, str], ...] = (
    ("image/jpeg", "jpg"),
    ("image/png", "png"),
    ("image/webp", "webp"),
)
EXTENSIONS = {t: ext for t, ext in _SIGNATURES if t in ACCEPTED_ATTACHMENT_TYPES}
_CAMPAIGN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_MAX_PARTS = 100  # the form has about 30 inputs plus a few files


@dataclass(frozen=True)
class UploadedFile:
    filename: str
    declared_type: str
    data: bytes = dataclasses.field(repr=False)


@dataclass(frozen=True)
class FieldError:
    """One problem, for the error summary: the input it belongs to, an i18n code and its parameters."""

    field: str
    code: str
    params: Mapping[str, str | int] = dataclasses.field(default_factory=dict)


class FormInvalid(Exception):
    def __init__(self, errors: Sequence[FieldError]) -> None:
        # Codes only: the submitted values never go into an exception message.
        super().__init__(", ".join(f"{e.field}:{e.code}" for e in errors))
        self.errors = list(errors)


class MalformedForm(Exception):
    """The body is not a form this page could have sent (no boundary, too many parts, bad encoding)."""


def language_of(value: str | None) -> str:
    return value if value in LANGUAGES else "nl"


def campaign_of(value: str | None) -> str | None:
    """A campaign code from a poster or link; anything that does not look like a code is dropped."""
    value = (value or "").strip()
    return value if _CAMPAIGN.match(value) else None


def sniff_image_type(data: bytes) -> str | None:
    if data.startswith(b"\xff\xd8\xff"):
        kind = "image/jpeg"
    elif data.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "image/png"
    elif len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        kind = "image/webp"
    else:
        return None
    return kind if kind in ACCEPTED_ATTACHMENT_TYPES else None


def _text(fields: Mapping[str, str], name: str) -> str | None:
    # Browsers send line breaks as CRLF; count them as the one character the reporter typed.
    value = fields.get(name, "").replace("\r\n", "\n").strip()
    return value or None


def _checked(fields: Mapping[str, str], name: str) -> bool:
    return name in fields


def payload_from_form(
    fields: Mapping[str, str],
    files: Sequence[UploadedFile],
    *,
    category_codes: Collection[str],
) -> IntakePayload:
    """Map the posted form to the intake payload; raise ``FormInvalid`` with every problem at once.

    Empty inputs become ``None`` (absent), not empty strings, so the anonymizer and router see exactly
    what the reporter gave. Checkboxes follow HTML: present means ticked.
    """
    errors: list[FieldError] = []
    texts: dict[str, str | None] = {}
    for name, limit in TEXT_LIMITS.items():
        value = _text(fields, name)
        if value is not None and len(value) > limit:
            errors.append(FieldError(name, "too_long", {"max": limit, "count": len(value)}))
        texts[name] = value
    if texts["description"] is None:
        errors.insert(0, FieldError("description", "required"))

    attachments = _attachments(files, errors)
    if errors:
        raise FormInvalid(errors)

    category = fields.get("category", "").strip()
    location = {key: texts[name] for name, key in LOCATION_FIELDS.items() if texts[name] is not None}
    ongoing = _checked(fields, "ongoing")
    incident: dict[str, Any] | None = None
    if location or ongoing or texts["occurred"]:
        incident = {"occurred": texts["occurred"], "ongoing": ongoing, "location": location or None}

    subject = {key: texts[name] for name, key in SUBJECT_FIELDS.items() if texts[name] is not None}
    kind = fields.get("subject_kind", "")
    subjects = []
    if subject:  # a kind alone says nothing a partner can act on
        subjects.append({"kind": kind if kind in SUBJECT_KINDS else "other", **subject})

    reporter: dict[str, Any] = {key: texts[name] for name, key in REPORTER_FIELDS.items() if texts[name]}
    wants_feedback = _checked(fields, "wants_feedback")
    if reporter or not wants_feedback:
        reporter["wants_feedback"] = wants_feedback

    try:
        submission_id: uuid.UUID | None = uuid.UUID(fields.get("submission_id", ""), version=4)
    except ValueError:
        submission_id = None

    try:
        return IntakePayload.model_validate(
            {
                "submission_id": submission_id,
                "language": language_of(fields.get("language")),
                "category": category if category in category_codes else None,
                "description": texts["description"],
                "incident": incident,
                "subjects": subjects,
                "reporter": reporter or None,
                "campaign": campaign_of(fields.get("campaign")),
                "attachments": attachments,
            }
        )
    except ValidationError as exc:  # everything was checked above; this is the contract's last word
        raise FormInvalid([FieldError(_field_of(err["loc"]), "invalid") for err in exc.errors()]) from None


def _attachments(files: Sequence[UploadedFile], errors: list[FieldError]) -> list[dict[str, str]]:
    chosen = [f for f in files if f.filename or f.data]  # an empty file input still sends one empty part
    if len(chosen) > MAX_ATTACHMENTS:
        errors.append(
            FieldError(ATTACHMENTS_FIELD, "too_many_files", {"max": MAX_ATTACHMENTS, "count": len(chosen)})
        )
        return []
    out = []
    for i, upload in enumerate(chosen, start=1):
        name = upload.filename[-80:] or f"#{i}"
        kind = sniff_image_type(upload.data)
        if kind is None:
            errors.append(FieldError(ATTACHMENTS_FIELD, "file_type", {"filename": name}))
        elif len(upload.data) > MAX_ATTACHMENT_BYTES:
            errors.append(
                FieldError(
                    ATTACHMENTS_FIELD,
                    "file_too_large",
                    {"filename": name, "size": len(upload.data), "max": MAX_ATTACHMENT_BYTES},
                )
            )
        else:
            # The reporter's own file name ("IMG_Jansen_thuis.jpg") can identify them: it is not sent.
            out.append(
                {
                    "filename": f"bijlage-{i}.{EXTENSIONS[kind]}",
                    "content_type": kind,
                    "data_base64": base64.b64encode(upload.data).decode("ascii"),
                }
            )
    return out


_FIELD_BY_LOC: dict[tuple[int | str, ...], str] = {
    ("incident", "occurred"): "occurred",
    **{("incident", "location", key): name for name, key in LOCATION_FIELDS.items()},
    **{("subjects", 0, key): name for name, key in SUBJECT_FIELDS.items()},
    **{("reporter", key): name for name, key in REPORTER_FIELDS.items()},
}


def _field_of(loc: tuple[int | str, ...]) -> str:  # a pydantic error location → the form input
    if loc and loc[0] == "attachments":
        return ATTACHMENTS_FIELD
    return _FIELD_BY_LOC.get(tuple(loc), "description")


def parse_body(body: bytes, content_type: str) -> tuple[dict[str, str], list[UploadedFile]]:
    """Decode a posted form entirely in memory: uploads are never spooled to a temporary file on disk."""
    media_type, options = parse_options_header(content_type)
    if media_type == b"application/x-www-form-urlencoded":
        try:
            pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=_MAX_PARTS)
        except ValueError as exc:
            raise MalformedForm("urlencoded") from exc
        return dict(pairs), []
    if media_type != b"multipart/form-data" or b"boundary" not in options:
        raise MalformedForm("content type")
    return _parse_multipart(body, options[b"boundary"])


class _Part:
    def __init__(self) -> None:
        self.disposition = b""
        self.content_type = b""
        self.data = bytearray()


def _parse_multipart(body: bytes, boundary: bytes) -> tuple[dict[str, str], list[UploadedFile]]:
    parts: list[_Part] = []
    header = {"name": b"", "value": b""}

    def on_part_begin() -> None:
        if len(parts) >= _MAX_PARTS:
            raise MalformedForm("too many parts")
        parts.append(_Part())

    def on_header_field(data: bytes, start: int, end: int) -> None:
        header["name"] += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        header["value"] += data[start:end]

    def on_header_end() -> None:
        name = header["name"].lower()
        if name == b"content-disposition":
            parts[-1].disposition = header["value"]
        elif name == b"content-type":
            parts[-1].content_type = header["value"]
        header["name"] = header["value"] = b""

    def on_part_data(data: bytes, start: int, end: int) -> None:
        parts[-1].data += data[start:end]

    parser = python_multipart.MultipartParser(
        boundary,
        {
            "on_part_begin": on_part_begin,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_part_data": on_part_data,
        },
    )
    try:
        parser.write(body)
        parser.finalize()
    except MalformedForm:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure is the client's malformed body
        raise MalformedForm("multipart") from exc

    fields: dict[str, str] = {}
    files: list[UploadedFile] = []
    for part in parts:
        _, options = parse_options_header(part.disposition)
        if b"name" not in options:
            raise MalformedForm("part without a name")
        name = options[b"name"].decode("utf-8", "replace")
        if b"filename" in options:
            files.append(
                UploadedFile(
                    options[b"filename"].decode("utf-8", "replace"),
                    part.content_type.decode("latin-1"),
                    bytes(part.data),
                )
            )
        else:
            try:
                fields[name] = part.data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise MalformedForm("field encoding") from exc
    return fields, files
