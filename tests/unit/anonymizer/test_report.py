"""The AnonymizedReport as a whole: dropped fields, coarse time, attachments, risk, errors."""

from __future__ import annotations

import base64
import io
import json

import pytest
from PIL import Image

from services.anonymizer.detectors.timeinfo import received_period
from services.anonymizer.domain import Anonymizer, ReportNotProcessable, parse_raw_report

from .cases import load_cases, occurs
from .conftest import make_raw


def _exif_jpeg() -> str:
    img = Image.new("RGB", (16, 16), (10, 20, 30))
    exif = Image.Exif()
    exif[0x013B] = "Sanne Kuipers"  # Artist
    exif[0x010F] = "Apple"  # Make
    exif[0x8825] = {1: "N", 2: (52.0, 5.0, 0.0), 3: "E", 4: (6.0, 7.0, 0.0)}
    buf = io.BytesIO()
    img.save(buf, format="JPEG", exif=exif.tobytes(), comment=b"taken from my balcony")
    return base64.b64encode(buf.getvalue()).decode()


@pytest.mark.parametrize("case", load_cases(), ids=lambda c: c["id"])
def test_labelled_fixture_leaks_nothing_and_keeps_subject_facts(anonymizer: Anonymizer, case: dict) -> None:
    out = json.loads(anonymizer.anonymize(parse_raw_report(case["raw"])).model_dump_json())
    assert [v for v in case["leak"] if occurs(v[0], v[1], out)] == []
    assert [v for v in case["keep"] if not occurs(v[0], v[1], out)] == []


def test_reporter_block_and_channel_meta_are_dropped(anonymizer: Anonymizer) -> None:
    raw = make_raw(
        "Er wordt gedeald.",
        channel="whatsapp",
        channel_meta={"sender": "+31612345678"},
        reporter={"name": "Ann Smit", "wants_feedback": False},
    )
    report = anonymizer.anonymize(raw)
    dumped = report.model_dump()
    assert "reporter" not in dumped and "channel_meta" not in dumped
    assert report.wants_feedback is False
    assert {"reporter", "channel_meta", "received_at"} <= set(report.redactions.dropped_fields)


def test_received_period_has_no_minutes_or_seconds(anonymizer: Anonymizer) -> None:
    report = anonymizer.anonymize(make_raw("Er wordt gedeald."))
    assert report.received_period == "2026-06-07T05:00Z"
    assert "05:11" not in report.model_dump_json()


def test_day_granularity_drops_the_hour() -> None:
    from datetime import UTC, datetime

    assert received_period(datetime(2026, 6, 7, 5, 11, tzinfo=UTC), "day") == "2026-06-07"


def test_image_is_reencoded_without_metadata_and_renamed(anonymizer: Anonymizer) -> None:
    raw = make_raw(
        "Foto in de bijlage.",
        attachments=[
            {"filename": "IMG_Sanne.jpg", "content_type": "image/jpeg", "data_base64": _exif_jpeg()}
        ],
    )
    report = anonymizer.anonymize(raw)
    att = report.attachments[0]
    data = base64.b64decode(att.data_base64)
    assert att.filename == "bijlage-1.jpg"
    assert b"Exif" not in data and b"Sanne" not in data and b"balcony" not in data
    assert {"location", "author", "camera", "comment"} <= set(att.removed_metadata)
    assert Image.open(io.BytesIO(data)).size == (16, 16)


def test_non_image_attachments_are_not_forwarded(anonymizer: Anonymizer) -> None:
    pdf = base64.b64encode(b"%PDF-1.4 secret").decode()
    fake = base64.b64encode(b"not really a png").decode()
    raw = make_raw(
        "Zie bijlagen.",
        attachments=[
            {"filename": "a.pdf", "content_type": "application/pdf", "data_base64": pdf},
            {"filename": "b.png", "content_type": "image/png", "data_base64": fake},
        ],
    )
    report = anonymizer.anonymize(raw)
    assert report.attachments == [] and report.redactions.attachments_removed == 2


def test_redaction_summary_counts_kinds_never_values(anonymizer: Anonymizer) -> None:
    raw = make_raw("Mijn naam is Joost Verbeek, bel me op 06-12345678.")
    summary = anonymizer.anonymize(raw).redactions
    assert summary.counts.get("name", 0) >= 1 and summary.counts.get("phone", 0) >= 1
    assert "Joost" not in summary.model_dump_json() and "12345678" not in summary.model_dump_json()


def test_risky_report_is_marked_for_review(anonymizer: Anonymizer) -> None:
    raw = make_raw(
        "Ik woon er direct onder op Hoofdstraat 3a, de buren boven me slaan elkaar. "
        "Ik ben de enige met een hond in het portiek.",
        incident={"location": {"street": "Hoofdstraat", "house_number": "3b"}},
        reporter={"relation": "neighbour"},
    )
    risk = anonymizer.anonymize(raw).risk
    assert risk.review and risk.score >= 0.7
    assert any(r.startswith("relation:neighbour") for r in risk.reasons)


def test_plain_report_is_not_marked_for_review(anonymizer: Anonymizer) -> None:
    risk = anonymizer.anonymize(make_raw("Er staat een verdachte auto bij het station.")).risk
    assert not risk.review and risk.score < 0.3


def test_invalid_raw_report_raises_without_content() -> None:
    with pytest.raises(ReportNotProcessable) as info:
        parse_raw_report('{"report_id": "x", "description": "Mijn naam is Joost"}')
    assert "Joost" not in str(info.value) and info.value.reason_code.startswith("invalid_raw_report")
