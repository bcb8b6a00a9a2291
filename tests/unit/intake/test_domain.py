"""Intake's pure logic: receipts, raw reports, advice."""

from __future__ import annotations

import re
import uuid

import pytest
from argon2 import PasswordHasher
from argon2.exceptions import VerifyMismatchError

from contracts import Incident, IntakePayload, Reporter
from contracts.taxonomy import load_taxonomy
from services.intake import domain


def test_receipt_reference_is_short_and_readable_and_secret_is_long() -> None:
    receipt = domain.new_receipt()
    assert re.fullmatch(r"M-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", receipt.reference)
    assert len(receipt.secret) >= 24
    assert receipt.secret not in repr(receipt)


def test_receipts_are_random() -> None:
    assert len({domain.new_receipt().reference for _ in range(200)}) == 200


def test_receipt_event_stores_only_an_argon2id_hash_of_the_secret() -> None:
    raw = domain.make_raw_report(IntakePayload(description="x"), channel="web")
    receipt = domain.new_receipt()
    event = domain.receipt_event(raw, receipt)
    assert receipt.secret not in event.model_dump_json()
    assert event.secret_hash.startswith("$argon2id$")
    assert PasswordHasher().verify(event.secret_hash, receipt.secret)
    with pytest.raises(VerifyMismatchError):
        PasswordHasher().verify(event.secret_hash, receipt.secret + "x")


def test_reference_is_not_derived_from_the_report_id() -> None:
    raw = domain.make_raw_report(IntakePayload(description="x"), channel="web")
    receipt = domain.new_receipt()
    assert receipt.reference.replace("M-", "").replace("-", "").lower() not in raw.report_id.hex


def test_raw_report_carries_channel_and_exact_receipt_time() -> None:
    raw = domain.make_raw_report(
        IntakePayload(description="x"), channel="whatsapp", channel_meta={"sender": "+31612345678"}
    )
    assert raw.channel == "whatsapp" and raw.kind == "report" and raw.received_at.tzinfo is not None
    assert "+31612345678" not in repr(raw)


def test_supplement_points_to_its_report() -> None:
    first = uuid.uuid4()
    raw = domain.make_raw_report(IntakePayload(description="antwoord"), channel="web", supplement_to=first)
    assert raw.kind == "supplement" and raw.supplement_to == first


def test_wants_feedback_follows_the_reporter_block() -> None:
    payload = IntakePayload(description="x", reporter=Reporter(wants_feedback=False))
    raw = domain.make_raw_report(payload, channel="web")
    assert domain.receipt_event(raw, domain.new_receipt()).wants_feedback is False


def test_ongoing_incident_gets_the_112_advice_in_the_reporters_language() -> None:
    taxonomy = load_taxonomy()
    urgent, _ = domain.advice(IntakePayload(description="x", incident=Incident(ongoing=True)), taxonomy)
    assert urgent and "112" in urgent
    urgent_en, _ = domain.advice(
        IntakePayload(description="x", language="en", incident=Incident(ongoing=True)), taxonomy
    )
    assert urgent_en and "Call 112" in urgent_en
    assert domain.advice(IntakePayload(description="x"), taxonomy)[0] is None


def test_social_safety_reports_get_the_fitting_help_organisations() -> None:
    _, help_orgs = domain.advice(
        IntakePayload(description="x", category="sociale-veiligheid.huiselijk-geweld"), load_taxonomy()
    )
    assert any("Veilig Thuis" in h for h in help_orgs)
    assert domain.advice(IntakePayload(description="x", category="misdaad.inbraak"), load_taxonomy())[1] == []


def test_retried_submission_recovers_its_secret_only_with_the_submission_id() -> None:
    sid = uuid.uuid4()
    box = domain.seal_secret(sid, "geheim-123")
    assert domain.open_secret(sid, box) == "geheim-123"
    assert b"geheim-123" not in box
    with pytest.raises(Exception):  # noqa: B017 - any crypto failure
        domain.open_secret(uuid.uuid4(), box)
    assert domain.submission_hash(sid) != sid.bytes
