"""The whole path over the real broker and PostgreSQL: intake → anonymizer → router → partners,
outcomes → feedback and metrics, duplicates, dead letters."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest

from contracts import cloudevent_headers
from contracts.topics import DEADLETTER, OUTCOMES, RAW_REPORTS, ROUTING, partner_topic
from tests.support.platform import Platform, find_routed, produce, read_topic, status, wait_for

pytestmark = pytest.mark.e2e

REPORTER = {
    "name": "Gerda Wolters",
    "email": "g.wolters71@hotmail.com",
    "phone": "0612345678",
    "address": "Julianastraat 12",
}


def submit(platform: Platform, marker: str, **extra: Any) -> dict[str, Any]:
    body = {
        "language": "nl",
        "category": "ondermijning.drugs.hennepkwekerij",
        "description": (
            f"Bij Julianastraat 18 ruik ik elke avond wiet ({marker}). De ramen zijn dichtgeplakt. "
            "Ik woon zelf op Julianastraat 12, bel me op 06-12345678 of mail g.wolters71@hotmail.com. "
            "Groeten, Gerda Wolters"
        ),
        "incident": {"location": {"street": "Julianastraat", "house_number": "18", "city": "Vroomshoop"}},
        "subjects": [{"kind": "vehicle", "license_plate": "VT-283-K", "description": "witte bestelbus"}],
        "reporter": REPORTER,
        **extra,
    }
    r = httpx.post(platform.url("intake") + "/api/v1/reports", json=body, timeout=30)
    assert r.status_code == 202, r.text
    return dict(r.json())


def routed(platform: Platform, partner: str, marker: str) -> dict[str, Any]:
    return find_routed(platform, partner, lambda v: marker in v["report"]["description"])


def test_report_reaches_the_right_partners_without_reporter_values(platform: Platform) -> None:
    marker = uuid.uuid4().hex
    submit(platform, marker)
    for partner in ("politie", "om", "gemeente-twenterand", "riec"):
        record = routed(platform, partner, marker)
        text = record["raw"].decode()
        for value in ("Gerda", "Wolters", "g.wolters71", "12345678", "Julianastraat 12"):
            assert value not in text, f"{value!r} reached {partner}"
        assert "Julianastraat 18" in text and "VT-283-K" in text
        assert record["value"]["lead_partner"] == "politie"
        assert record["headers"]["ce_specversion"] == "1.0"
        assert record["headers"]["traceparent"].startswith("00-")
        assert record["headers"]["meldpunt_priority"] == "normal"
    # One trace follows the report: the raw record, the partner copy and the decision share its trace id.
    report_id = record["value"]["report_id"]
    decisions = read_topic(
        platform.infra.bootstrap, ROUTING, lambda rs: any(r["value"]["report_id"] == report_id for r in rs)
    )
    decision = next(r for r in decisions if r["value"]["report_id"] == report_id)
    raws = read_topic(
        platform.infra.bootstrap,
        RAW_REPORTS,
        lambda rs: any(r.key and r.key.decode() == report_id for r in rs),
        decode=False,
    )
    raw = next(r for r in raws if r.key and r.key.decode() == report_id)
    trace_id = dict(raw.headers)["traceparent"].decode().split("-")[1]
    assert record["headers"]["traceparent"].split("-")[1] == trace_id
    assert decision["headers"]["traceparent"].split("-")[1] == trace_id


def test_raw_topic_holds_ciphertext_only(platform: Platform) -> None:
    marker = uuid.uuid4().hex
    submit(platform, marker)
    routed(platform, "politie", marker)  # the report went through, so its raw record exists
    raws = read_topic(platform.infra.bootstrap, RAW_REPORTS, lambda rs: len(rs) >= 1, decode=False)
    for record in raws:
        assert marker.encode() not in record.value
        assert b"Julianastraat" not in record.value and b"Gerda" not in record.value


def test_partner_outcome_reaches_the_right_receipt_and_the_stats(platform: Platform) -> None:
    marker, other_marker = uuid.uuid4().hex, uuid.uuid4().hex
    receipt = submit(platform, marker)
    other = submit(platform, other_marker)
    report_id = routed(platform, "politie", marker)["value"]["report_id"]
    routed(platform, "politie", other_marker)

    result = platform.cli(
        "partner", "outcome", "politie", report_id, "arrest", "--message", "Er is iemand aangehouden."
    )
    assert result.returncode == 0, result.stderr

    def has_arrest(ref: str, secret: str) -> bool:
        r = status(platform, ref, secret)
        return r.status_code == 200 and any(e["status"] == "arrest" for e in r.json()["timeline"])

    wait_for(lambda: has_arrest(receipt["reference"], receipt["secret"]))
    assert not has_arrest(other["reference"], other["secret"])
    assert status(platform, receipt["reference"], "wrong-secret-123").status_code == 404
    assert status(platform, "M-0000-0000", receipt["secret"]).status_code == 404

    def stats() -> dict[str, Any] | None:
        body = httpx.get(platform.url("metrics") + "/api/v1/stats", timeout=10).json()
        outcomes = {row["key"]: row["count"] for row in body["by_outcome"]}
        return body if outcomes.get("arrest") else None

    body = wait_for(stats)
    categories = {row["key"]: row["count"] for row in body["by_category"]}
    assert (categories.get("ondermijning.drugs.hennepkwekerij") or 0) >= 2


def test_duplicate_outcome_delivery_has_one_effect(platform: Platform) -> None:
    marker = uuid.uuid4().hex
    receipt = submit(platform, marker)
    report_id = routed(platform, "politie", marker)["value"]["report_id"]
    outcome = {
        "schema_version": "1",
        "outcome_id": str(uuid.uuid4()),
        "report_id": report_id,
        "partner_id": "politie",
        "status": "investigating",
        "message": None,
        "occurred_at": "2026-11-20T10:00:00Z",
    }
    headers = cloudevent_headers(
        ce_id=str(uuid.uuid4()), ce_type="nl.meldpunt.outcome.v1", source="/partners/politie"
    )
    for _ in range(2):
        produce(
            platform.infra.bootstrap, OUTCOMES, json.dumps(outcome).encode(), key=report_id, headers=headers
        )
    # A later, different event proves both copies were consumed before we count.
    later = {**outcome, "outcome_id": str(uuid.uuid4()), "status": "closed"}
    later_headers = {**headers, "ce_id": str(uuid.uuid4())}
    produce(
        platform.infra.bootstrap, OUTCOMES, json.dumps(later).encode(), key=report_id, headers=later_headers
    )

    def timeline() -> list[dict[str, Any]] | None:
        r = status(platform, receipt["reference"], receipt["secret"])
        entries = r.json()["timeline"] if r.status_code == 200 else []
        return entries if any(e["status"] == "closed" for e in entries) else None

    entries = wait_for(timeline)
    assert [e["status"] for e in entries].count("investigating") == 1


def test_malformed_message_goes_to_dead_letter_and_consumer_carries_on(platform: Platform) -> None:
    bad_id = str(uuid.uuid4())
    headers = cloudevent_headers(ce_id=bad_id, ce_type="nl.meldpunt.outcome.v1", source="/partners/politie")
    produce(platform.infra.bootstrap, OUTCOMES, b'{"not": "an outcome"', key="broken", headers=headers)
    produce(
        platform.infra.bootstrap,
        RAW_REPORTS,
        b"definitely not a sealed box",
        key="broken",
        headers={**headers, "ce_id": str(uuid.uuid4())},
    )

    letters = read_topic(
        platform.infra.bootstrap,
        DEADLETTER,
        lambda rs: {r["value"]["reason_code"] for r in rs} >= {"bad_schema", "decrypt_failed"},
    )
    by_reason = {r["value"]["reason_code"]: r["value"] for r in letters}
    assert by_reason["bad_schema"]["origin_topic"] == OUTCOMES
    assert by_reason["decrypt_failed"]["origin_topic"] == RAW_REPORTS
    assert by_reason["decrypt_failed"]["service"] == "anonymizer"

    # The consumers carry on: a new report still flows to the partner and its outcome to the reporter.
    marker = uuid.uuid4().hex
    receipt = submit(platform, marker)
    report_id = routed(platform, "politie", marker)["value"]["report_id"]
    assert platform.cli("partner", "outcome", "politie", report_id, "investigating").returncode == 0
    wait_for(
        lambda: (
            status(platform, receipt["reference"], receipt["secret"]).status_code == 200
            and any(
                e["status"] == "investigating"
                for e in status(platform, receipt["reference"], receipt["secret"]).json()["timeline"]
            )
        )
    )


def test_no_reporter_value_in_any_service_log(platform: Platform) -> None:
    marker = uuid.uuid4().hex
    submit(platform, marker)
    routed(platform, "politie", marker)
    logs = platform.logs()
    for value in ("Gerda", "Wolters", "g.wolters71", "0612345678", marker):
        assert value not in logs


def test_earlier_reports_about_the_same_address_are_counted_for_partners(platform: Platform) -> None:
    first, second = uuid.uuid4().hex, uuid.uuid4().hex
    street = f"Teststraat{uuid.uuid4().hex[:6]}"
    body = {
        "category": "ondermijning.overlastpand",
        "incident": {"location": {"street": street, "house_number": "7", "city": "Almelo"}},
    }
    for marker in (first, second):
        r = httpx.post(
            platform.url("intake") + "/api/v1/reports",
            json={**body, "description": f"Overlast bij het pand ({marker}), elke nacht geschreeuw."},
            timeout=30,
        )
        assert r.status_code == 202, r.text
    assert routed(platform, "gemeente-almelo", first)["value"]["earlier_reports"] == 0
    later = routed(platform, "gemeente-almelo", second)["value"]
    assert later["earlier_reports"] == 1
    assert "eerdere melding" in later["explanation"]


def test_unroutable_report_waits_in_triage_until_an_operator_assigns_it(platform: Platform) -> None:
    marker = uuid.uuid4().hex
    r = httpx.post(
        platform.url("intake") + "/api/v1/reports",
        json={"category": "ondermijning.adresfraude", "description": f"Hier woont niemand ({marker})."},
        timeout=30,
    )
    assert r.status_code == 202, r.text
    waiting = read_topic(
        platform.infra.bootstrap,
        partner_topic("triage"),
        lambda rs: any(marker in x["value"]["report"]["description"] for x in rs),
    )
    report_id = next(x for x in waiting if marker in x["value"]["report"]["description"])["value"][
        "report_id"
    ]

    listed = wait_for(lambda: report_id in platform.cli("triage", "list").stdout)
    assert listed
    page = httpx.get(platform.url("router") + "/", timeout=10)
    assert page.status_code == 200 and report_id in page.text

    assigned = platform.cli("triage", "assign", report_id, "gemeente-almelo")
    assert assigned.returncode == 0, assigned.stderr
    record = routed(platform, "gemeente-almelo", marker)
    assert record["value"]["lead_partner"] == "gemeente-almelo"
    again = platform.cli("triage", "assign", report_id, "gemeente-almelo")
    assert again.returncode == 1 and "already_released" in again.stderr
    assert report_id not in platform.cli("triage", "list").stdout


def test_urgent_report_is_marked_for_the_partner(platform: Platform) -> None:
    marker = uuid.uuid4().hex
    r = httpx.post(
        platform.url("intake") + "/api/v1/reports",
        json={
            "category": "misdaad.inbraak",
            "description": f"Er wordt nu ingebroken bij de overburen, twee mannen, breekijzer ({marker}).",
            "incident": {"ongoing": True, "location": {"city": "Almelo"}},
        },
        timeout=30,
    )
    assert r.status_code == 202 and "112" in (r.json()["urgent_advice"] or "")
    record = routed(platform, "politie", marker)
    assert record["value"]["priority"] == "urgent"
    assert record["headers"]["meldpunt_priority"] == "urgent"
