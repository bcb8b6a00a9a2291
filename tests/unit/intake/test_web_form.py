"""The web form's pure mapping: posted fields and files → IntakePayload (no HTTP, no database)."""

from __future__ import annotations

import base64
import uuid

import pytest

from contracts.intake import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, MAX_DESCRIPTION_CHARS, MAX_FIELD_CHARS
from contracts.taxonomy import load_taxonomy
from services.intake import forms
from services.intake.forms import FormInvalid, MalformedForm, UploadedFile, payload_from_form

CODES = load_taxonomy().codes()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 20

# What a browser posts for an untouched form: every text input, empty; the file input, one empty part.
EMPTY_FORM = {name: "" for name in forms.TEXT_LIMITS} | {
    "language": "nl",
    "category": "unknown",
    "subject_kind": "",
    "campaign": "",
    "submission_id": "",
    "wants_feedback": "on",
}
NO_FILE = [UploadedFile("", "application/octet-stream", b"")]


def form(**fields: str) -> dict[str, str]:
    return EMPTY_FORM | fields


def codes_of(exc: pytest.ExceptionInfo[FormInvalid]) -> list[tuple[str, str]]:
    return [(e.field, e.code) for e in exc.value.errors]


def test_a_description_alone_makes_a_report_and_empty_optional_fields_become_none() -> None:
    payload = payload_from_form(form(description="  Wietlucht bij nummer 5  "), NO_FILE, category_codes=CODES)
    assert payload.description == "Wietlucht bij nummer 5"
    assert payload.category is None
    assert payload.incident is None
    assert payload.subjects == []
    assert payload.reporter is None
    assert payload.campaign is None
    assert payload.attachments == []
    assert payload.submission_id is None
    assert payload.language == "nl"


def test_dont_know_category_becomes_none_so_the_router_classifies_the_text() -> None:
    payload = payload_from_form(form(description="x", category="unknown"), [], category_codes=CODES)
    assert payload.category is None


def test_a_category_outside_the_taxonomy_becomes_none() -> None:
    payload = payload_from_form(form(description="x", category="bestaat.niet"), [], category_codes=CODES)
    assert payload.category is None


def test_a_taxonomy_category_is_kept() -> None:
    payload = payload_from_form(
        form(description="x", category="ondermijning.drugs.hennepkwekerij"), [], category_codes=CODES
    )
    assert payload.category == "ondermijning.drugs.hennepkwekerij"


def test_incident_location_and_ongoing_are_mapped_and_blank_location_parts_left_out() -> None:
    payload = payload_from_form(
        form(
            description="x",
            occurred="elke vrijdag",
            ongoing="on",
            street="Dorpsstraat",
            house_number="5",
            city="Vroomshoop",
            place_description="achter de kerk",
            postcode="  ",
        ),
        [],
        category_codes=CODES,
    )
    assert payload.incident is not None
    assert payload.incident.occurred == "elke vrijdag"
    assert payload.incident.ongoing is True
    loc = payload.incident.location
    assert loc is not None
    assert (loc.street, loc.house_number, loc.city, loc.description, loc.postcode) == (
        "Dorpsstraat",
        "5",
        "Vroomshoop",
        "achter de kerk",
        None,
    )


def test_ongoing_alone_makes_an_incident_without_location() -> None:
    payload = payload_from_form(form(description="x", ongoing="on"), [], category_codes=CODES)
    assert payload.incident is not None and payload.incident.ongoing and payload.incident.location is None


def test_subject_block_becomes_one_subject_and_a_kind_without_details_is_dropped() -> None:
    payload = payload_from_form(
        form(
            description="x",
            subject_kind="vehicle",
            subject_license_plate="12-ABC-3",
            subject_description="zwarte BMW",
        ),
        [],
        category_codes=CODES,
    )
    assert [s.model_dump(exclude_none=True) for s in payload.subjects] == [
        {"kind": "vehicle", "license_plate": "12-ABC-3", "description": "zwarte BMW"}
    ]
    assert (
        payload_from_form(form(description="x", subject_kind="person"), [], category_codes=CODES).subjects
        == []
    )


def test_subject_details_without_a_kind_are_kept_as_other() -> None:
    payload = payload_from_form(form(description="x", subject_nickname="de Kapper"), [], category_codes=CODES)
    assert payload.subjects[0].kind == "other"
    assert payload.subjects[0].nickname == "de Kapper"


def test_reporter_details_are_mapped_and_feedback_wish_follows_the_checkbox() -> None:
    payload = payload_from_form(
        form(description="x", reporter_name="Gerda Wolters", reporter_phone="0612345678"),
        [],
        category_codes=CODES,
    )
    assert payload.reporter is not None
    assert payload.reporter.name == "Gerda Wolters"
    assert payload.reporter.phone == "0612345678"
    assert payload.reporter.email is None
    assert payload.reporter.wants_feedback is True


def test_unticked_feedback_box_is_passed_on_even_without_reporter_details() -> None:
    fields = form(description="x")
    del fields["wants_feedback"]  # an unticked checkbox is not posted at all
    payload = payload_from_form(fields, [], category_codes=CODES)
    assert payload.reporter is not None
    assert payload.reporter.wants_feedback is False
    assert payload.reporter.name is None


def test_campaign_from_the_hidden_field_is_kept_and_junk_is_dropped() -> None:
    assert (
        payload_from_form(
            form(description="x", campaign="poster-almelo-2026"), [], category_codes=CODES
        ).campaign
        == "poster-almelo-2026"
    )
    assert (
        payload_from_form(form(description="x", campaign="<script>"), [], category_codes=CODES).campaign
        is None
    )


def test_language_and_submission_id_are_taken_over() -> None:
    sid = uuid.uuid4()
    payload = payload_from_form(
        form(description="x", language="en", submission_id=str(sid)), [], category_codes=CODES
    )
    assert payload.language == "en"
    assert payload.submission_id == sid
    assert payload_from_form(form(description="x", language="de"), [], category_codes=CODES).language == "nl"


def test_empty_description_is_refused() -> None:
    with pytest.raises(FormInvalid) as exc:
        payload_from_form(form(description="  \r\n "), NO_FILE, category_codes=CODES)
    assert codes_of(exc) == [("description", "required")]


def test_line_breaks_count_as_one_character_as_the_browser_counted_them() -> None:
    text = ("a\r\n" * (MAX_DESCRIPTION_CHARS // 2))[: MAX_DESCRIPTION_CHARS + MAX_DESCRIPTION_CHARS // 2]
    payload = payload_from_form(form(description=text), [], category_codes=CODES)
    assert len(payload.description) <= MAX_DESCRIPTION_CHARS


def test_too_long_fields_are_refused_all_at_once_without_echoing_values_in_the_exception() -> None:
    with pytest.raises(FormInvalid) as exc:
        payload_from_form(
            form(description="d" * (MAX_DESCRIPTION_CHARS + 1), street="s" * (MAX_FIELD_CHARS + 1)),
            [],
            category_codes=CODES,
        )
    assert codes_of(exc) == [("description", "too_long"), ("street", "too_long")]
    assert exc.value.errors[0].params == {"max": MAX_DESCRIPTION_CHARS, "count": MAX_DESCRIPTION_CHARS + 1}
    assert "ddd" not in str(exc.value)


def test_attachments_are_base64_encoded_typed_from_content_and_renamed() -> None:
    files = [
        UploadedFile("IMG_Jansen_thuis.png", "image/png", PNG),
        UploadedFile("foto.jpeg", "image/jpeg", JPEG),
        UploadedFile("plaatje", "application/octet-stream", WEBP),
    ]
    payload = payload_from_form(form(description="x"), files, category_codes=CODES)
    got = [(a.filename, a.content_type, base64.b64decode(a.data_base64)) for a in payload.attachments]
    assert got == [
        ("bijlage-1.png", "image/png", PNG),
        ("bijlage-2.jpg", "image/jpeg", JPEG),
        ("bijlage-3.webp", "image/webp", WEBP),
    ]


def test_a_file_of_another_type_is_refused_even_when_it_claims_to_be_an_image() -> None:
    files = [
        UploadedFile("verslag.pdf", "application/pdf", b"%PDF-1.7 ..."),
        UploadedFile("nep.jpg", "image/jpeg", b"GIF89a...."),
    ]
    with pytest.raises(FormInvalid) as exc:
        payload_from_form(form(description="x"), files, category_codes=CODES)
    assert codes_of(exc) == [("attachments", "file_type"), ("attachments", "file_type")]
    assert [e.params["filename"] for e in exc.value.errors] == ["verslag.pdf", "nep.jpg"]


def test_a_too_large_photo_is_refused() -> None:
    big = PNG + b"\x00" * MAX_ATTACHMENT_BYTES
    with pytest.raises(FormInvalid) as exc:
        payload_from_form(
            form(description="x"), [UploadedFile("groot.png", "image/png", big)], category_codes=CODES
        )
    assert codes_of(exc) == [("attachments", "file_too_large")]


def test_more_photos_than_allowed_are_refused() -> None:
    files = [UploadedFile(f"{i}.png", "image/png", PNG) for i in range(MAX_ATTACHMENTS + 1)]
    with pytest.raises(FormInvalid) as exc:
        payload_from_form(form(description="x"), files, category_codes=CODES)
    assert codes_of(exc) == [("attachments", "too_many_files")]


def test_multipart_body_is_parsed_in_memory_with_fields_and_files() -> None:
    boundary = "----meldpunt"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="description"\r\n\r\nHennep op zolder\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="city"\r\n\r\nAlmelo\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="a.png"\r\n'
            f"Content-Type: image/png\r\n\r\n"
        ).encode()
        + PNG
        + f"\r\n--{boundary}--\r\n".encode()
    )
    fields, files = forms.parse_body(body, f"multipart/form-data; boundary={boundary}")
    assert fields == {"description": "Hennep op zolder", "city": "Almelo"}
    assert files == [UploadedFile("a.png", "image/png", PNG)]


def test_urlencoded_body_is_accepted_too() -> None:
    fields, files = forms.parse_body(
        b"description=Drugs+op+de+hoek&ongoing=on", "application/x-www-form-urlencoded"
    )
    assert fields == {"description": "Drugs op de hoek", "ongoing": "on"}
    assert files == []


@pytest.mark.parametrize("content_type", ["application/json", "multipart/form-data", "text/plain"])
def test_a_body_this_form_cannot_have_sent_is_malformed(content_type: str) -> None:
    with pytest.raises(MalformedForm):
        forms.parse_body(b"{}", content_type)
