"""A reporter answers a partner's question, over the real broker and PostgreSQL: the answer leaves
feedback through intake's internal route and travels the raw path (intake → anonymizer → router) to
every partner of the original report, as a supplement, without what identifies the reporter."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
import pytest

from contracts import RoutedReport
from tests.support.platform import Platform, find_routed, status, wait_for

pytestmark = pytest.mark.e2e

PARTNERS = ("politie", "om", "gemeente-twenterand", "riec")
QUESTION = "Welke kleur had de auto?"
PHONE = "06-11223344"


def submit(platform: Platform, marker: str) -> dict[str, Any]:
    body = {
        "language": "nl",
        "category": "ondermijning.drugs.hennepkwekerij",
        "description": f"In de loods aan de Kanaalweg 3 kweken ze wiet ({marker}). Vaak staat er een auto.",
        "incident": {"location": {"street": "Kanaalweg", "house_number": "3", "city": "Vroomshoop"}},
    }
    r = httpx.post(platform.url("intake") + "/api/v1/reports", json=body, timeout=30)
    assert r.status_code == 202, r.text
    return dict(r.json())


def answer(platform: Platform, reference: str, secret: str, text: str) -> httpx.Response:
    return httpx.post(
        platform.url("feedback") + "/api/v1/answers",
        json={"reference": reference, "secret": secret, "answer": text},
        timeout=30,
    )


def timeline(platform: Platform, receipt: dict[str, Any]) -> list[dict[str, Any]]:
    r = status(platform, receipt["reference"], receipt["secret"])
    assert r.status_code == 200, r.text
    return list(r.json()["timeline"])


def ask(platform: Platform, receipt: dict[str, Any], report_id: str) -> None:
    result = platform.cli("partner", "outcome", "politie", report_id, "question", "--message", QUESTION)
    assert result.returncode == 0, result.stderr
    wait_for(lambda: any(e.get("question") == QUESTION for e in timeline(platform, receipt)))


def test_reporters_answer_reaches_every_partner_of_the_report_anonymised(platform: Platform) -> None:
    marker, answer_marker = uuid.uuid4().hex, uuid.uuid4().hex
    receipt = submit(platform, marker)
    report_id = find_routed(platform, "politie", lambda v: marker in v["report"]["description"])["value"][
        "report_id"
    ]
    ask(platform, receipt, report_id)

    text = f"De auto was rood ({answer_marker}). Bel me op {PHONE}"
    r = answer(platform, receipt["reference"], receipt["secret"], text)
    assert r.status_code == 202, r.text

    def is_supplement(value: dict[str, Any]) -> bool:
        report = value["report"]
        return bool(report["kind"] == "supplement" and report["supplement_to"] == report_id)

    for partner in PARTNERS:
        record = find_routed(platform, partner, is_supplement)
        routed = RoutedReport.model_validate(record["value"])
        assert routed.report.kind == "supplement"
        assert str(routed.report.supplement_to) == report_id
        assert routed.report.report_id != uuid.UUID(report_id)
        assert "rood" in routed.report.description and answer_marker in routed.report.description
        raw = record["raw"].decode()
        for value in (PHONE, "11223344", "0611223344"):
            assert value not in raw, f"{value!r} reached {partner}"
        assert receipt["reference"] not in raw and receipt["secret"] not in raw

    # The reporter sees that they answered, and then that the answer was forwarded.
    entries = wait_for(
        lambda: (lambda es: es if any(e["status"] == "supplement_forwarded" for e in es) else None)(
            timeline(platform, receipt)
        )
    )
    statuses = [e["status"] for e in entries]
    assert statuses.index("question") < statuses.index("answered") < statuses.index("supplement_forwarded")
    assert not any(answer_marker in e["text"] or "rood" in e["text"] for e in entries)

    # Neither the answer nor the phone number was logged by any service.
    logs = platform.logs()
    assert answer_marker not in logs and PHONE not in logs and "11223344" not in logs


def test_a_second_answer_needs_a_new_question(platform: Platform) -> None:
    marker = uuid.uuid4().hex
    receipt = submit(platform, marker)
    report_id = find_routed(platform, "politie", lambda v: marker in v["report"]["description"])["value"][
        "report_id"
    ]
    ref, secret = receipt["reference"], receipt["secret"]

    no_question = answer(platform, ref, secret, "Ik weet nog iets.")
    assert no_question.status_code == 409 and no_question.json()["error"] == "no_open_question"

    ask(platform, receipt, report_id)
    assert answer(platform, ref, secret, "De auto was rood.").status_code == 202
    again = answer(platform, ref, secret, "En de bestuurder had een pet op.")
    assert again.status_code == 409
    assert again.json() == {"error": "no_open_question"}
    assert [e["status"] for e in timeline(platform, receipt)].count("answered") == 1


def test_a_wrong_secret_or_reference_gets_the_lookups_404(platform: Platform) -> None:
    marker = uuid.uuid4().hex
    receipt = submit(platform, marker)
    report_id = find_routed(platform, "politie", lambda v: marker in v["report"]["description"])["value"][
        "report_id"
    ]
    ask(platform, receipt, report_id)

    wrong_secret = answer(platform, receipt["reference"], "wrong-secret-123", "De auto was rood.")
    wrong_reference = answer(platform, "M-0000-0000", receipt["secret"], "De auto was rood.")
    assert wrong_secret.status_code == 404 and wrong_reference.status_code == 404
    assert wrong_secret.json() == wrong_reference.json() == {"error": "unknown_receipt"}
    assert not any(e["status"] == "answered" for e in timeline(platform, receipt))


def test_intakes_internal_route_needs_the_service_token(platform: Platform) -> None:
    url = platform.url("intake") + "/internal/v1/supplements"
    body = {"supplement_to": str(uuid.uuid4()), "language": "nl", "description": "Niet van feedback."}
    assert httpx.post(url, json=body, timeout=10).status_code == 404
    wrong = httpx.post(url, json=body, headers={"Authorization": "Bearer guessed"}, timeout=10)
    assert wrong.status_code == 401


def test_reporter_answers_on_the_status_page_without_javascript(platform: Platform) -> None:
    marker, answer_marker = uuid.uuid4().hex, uuid.uuid4().hex
    receipt = submit(platform, marker)
    report_id = find_routed(platform, "politie", lambda v: marker in v["report"]["description"])["value"][
        "report_id"
    ]
    ask(platform, receipt, report_id)

    page = httpx.post(
        platform.url("feedback") + "/status",
        data={"reference": receipt["reference"], "secret": receipt["secret"], "lang": "nl"},
        timeout=30,
    )
    assert page.status_code == 200
    assert 'action="/answer"' in page.text and receipt["secret"] not in page.text
    token = re.search(r'name="token" value="([^"]+)"', page.text)
    assert token is not None
    sent = httpx.post(
        platform.url("feedback") + "/answer",
        data={
            "lang": "nl",
            "reference": receipt["reference"],
            "token": token.group(1),
            "answer": f"Een rode Golf ({answer_marker}).",
        },
        timeout=30,
    )
    assert sent.status_code == 200, sent.text
    assert "Bedankt voor uw antwoord" in sent.text
    assert sent.headers["cache-control"] == "no-store"
    record = find_routed(platform, "om", lambda v: answer_marker in v["report"]["description"])
    assert record["value"]["report"]["supplement_to"] == report_id
