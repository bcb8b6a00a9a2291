"""The reporter's answer to a partner's question: the open-question rule, the idempotency key, the
timeline step, the hand-over to intake, and the API and page over HTTP in process with a stand-in desk."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from contracts import ReportStatus
from services.feedback import api, domain, web
from services.feedback.domain import TimelineItem
from services.feedback.handlers import SupplementSender, SupplementUnavailable, Verified

TEXTS = domain.load_texts()
DAY = date(2026, 6, 7)
REPORT = uuid.uuid4()
ANSWER = "De auto was rood. Bel me op 06-11223344"
SECRET = "the-receipt-secret-123"


def item(status: str, message: str | None = None, on: date = DAY) -> TimelineItem:
    partner = "politie" if status not in domain.ROUTING_STATUSES + domain.REPORTER_STATUSES else None
    return TimelineItem(on, status, partner_id=partner, message=message)


FORWARDED = TimelineItem(DAY, "forwarded", partner_id="politie")
QUESTION = item("question", "Welke kleur had de auto?")
ANSWERED = item("answered")


# --- the open-question rule ----------------------------------------------------------------------------


def test_without_a_question_there_is_nothing_to_answer() -> None:
    assert domain.open_question([]) is None
    assert domain.open_question([FORWARDED, item("investigating")]) is None


def test_a_partners_question_is_open_until_answered() -> None:
    assert domain.open_question([FORWARDED, QUESTION]) == QUESTION
    assert domain.open_question([FORWARDED, QUESTION, item("investigating")]) == QUESTION
    assert domain.open_question([FORWARDED, QUESTION, ANSWERED]) is None


def test_a_new_question_after_an_answer_is_open_again() -> None:
    later = item("question", "Hoe laat was dat?")
    assert domain.open_question([QUESTION, ANSWERED, later]) == later


def test_one_answer_closes_every_question_asked_before_it() -> None:
    from_gemeente = TimelineItem(DAY, "question", partner_id="gemeente-twenterand", message="Sinds wanneer?")
    assert domain.open_question([QUESTION, from_gemeente]) == from_gemeente
    assert domain.open_question([QUESTION, from_gemeente, ANSWERED]) is None


def test_answering_without_an_open_question_is_refused() -> None:
    with pytest.raises(domain.NoOpenQuestion):
        domain.answer_submission_id(REPORT, [FORWARDED])
    with pytest.raises(domain.NoOpenQuestion):
        domain.answer_submission_id(REPORT, [FORWARDED, QUESTION, ANSWERED])


def test_a_retried_answer_gets_the_same_submission_id_and_the_next_answer_another() -> None:
    first = domain.answer_submission_id(REPORT, [FORWARDED, QUESTION])
    assert first == domain.answer_submission_id(REPORT, [FORWARDED, QUESTION, item("investigating")])
    second = domain.answer_submission_id(REPORT, [FORWARDED, QUESTION, ANSWERED, QUESTION])
    assert second != first
    assert first.version == 4
    assert domain.answer_submission_id(uuid.uuid4(), [QUESTION]) != domain.answer_submission_id(
        REPORT, [QUESTION]
    )


def test_the_answered_step_keeps_the_day_and_nothing_the_reporter_wrote() -> None:
    step = domain.answered_item(datetime(2026, 6, 7, 23, 30, tzinfo=UTC))
    assert step == TimelineItem(date(2026, 6, 8), "answered")  # Amsterdam is ahead of UTC
    assert step.message is None and step.partner_id is None


def test_answers_are_normalised_and_checked_against_the_description_limit() -> None:
    assert domain.normalise_answer("  rood\r\nen snel  ") == "rood\nen snel"
    assert domain.answer_problem("") == "answer_required"
    assert domain.answer_problem("x" * domain.MAX_ANSWER_CHARS) is None
    assert domain.answer_problem("x" * (domain.MAX_ANSWER_CHARS + 1)) == "answer_too_long"


def test_the_answered_step_reads_in_dutch_and_english_and_follows_the_question() -> None:
    supplement = TimelineItem(DAY, "supplement_forwarded")
    entries = domain.render_timeline(DAY, [FORWARDED, QUESTION, ANSWERED, supplement], "nl", TEXTS)
    assert [e.status for e in entries] == [
        "submitted",
        "forwarded",
        "question",
        "answered",
        "supplement_forwarded",
    ]
    assert entries[3].text.startswith("U heeft de vraag beantwoord")
    assert entries[3].question is None
    english = domain.render_timeline(DAY, [QUESTION, ANSWERED], "en", TEXTS)
    assert english[-1].text.startswith("You answered the question")


def test_texts_without_the_answered_status_are_rejected() -> None:
    raw = TEXTS.model_dump()
    del raw["statuses"]["answered"]
    with pytest.raises(ValueError, match="answered"):
        domain.Texts.model_validate(raw)


# --- handing the answer to intake ---------------------------------------------------------------------


def send(handler: Any) -> list[httpx.Request]:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        result: httpx.Response = handler(request)
        return result

    sender = SupplementSender("http://intake:8080/", "tok3n", 5, transport=httpx.MockTransport(record))
    asyncio.run(sender.send(REPORT, "nl", ANSWER, uuid.UUID(int=7)))
    return seen


def test_the_answer_is_posted_to_intakes_internal_route_with_the_token() -> None:
    [request] = send(lambda _: httpx.Response(202, json={"accepted": True}))
    assert str(request.url) == "http://intake:8080/internal/v1/supplements"
    assert request.headers["authorization"] == "Bearer tok3n"
    assert json.loads(request.content) == {
        "supplement_to": str(REPORT),
        "language": "nl",
        "description": ANSWER,
        "submission_id": str(uuid.UUID(int=7)),
    }


@pytest.mark.parametrize("status", [401, 404, 422, 500, 503])
def test_intake_refusing_the_answer_makes_it_unavailable(status: int) -> None:
    with pytest.raises(SupplementUnavailable):
        send(lambda _: httpx.Response(status))


def test_intake_unreachable_makes_it_unavailable_without_the_cause() -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(SupplementUnavailable) as caught:
        send(down)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_the_sender_hides_its_token() -> None:
    assert "tok3n" not in repr(SupplementSender("http://intake:8080", "tok3n", 5))


# --- the API and the page, with a stand-in for the status desk ------------------------------------------


class FakeDesk:
    """Just enough of ``StatusDesk``: one receipt, a timeline in memory, and a record of answers sent."""

    def __init__(self) -> None:
        self.texts = TEXTS
        self.items: list[TimelineItem] = [FORWARDED, QUESTION]
        self.sent: list[str] = []
        self.intake_down = False
        self.verified = Verified(REPORT, "M-AB12-CD34", "nl", DAY)

    async def verify(self, reference: str, secret: str) -> Verified:
        if domain.normalise_reference(reference) != self.verified.reference or secret != SECRET:
            raise domain.UnknownReceipt
        return self.verified

    def rating_token(self, verified: Verified) -> str:
        return "123.signed"

    async def verify_token(self, reference: str, token: str) -> Verified:
        if token != "123.signed":
            raise domain.RatingExpired
        return self.verified

    async def status_view(self, verified: Verified, lang: Any = None) -> tuple[ReportStatus, bool]:
        timeline = domain.render_timeline(DAY, self.items, lang or "nl", TEXTS)
        return ReportStatus(reference=verified.reference, timeline=timeline), domain.open_question(
            self.items
        ) is not None

    async def status(self, verified: Verified, lang: Any = None) -> ReportStatus:
        return (await self.status_view(verified, lang))[0]

    async def answer(self, verified: Verified, answer: str, lang: Any = None) -> None:
        domain.answer_submission_id(verified.report_id, self.items)
        if self.intake_down:
            raise SupplementUnavailable
        self.sent.append(answer)
        self.items.append(ANSWERED)


@pytest.fixture
def desk() -> FakeDesk:
    return FakeDesk()


@pytest.fixture
def client(desk: FakeDesk) -> TestClient:
    app = FastAPI()
    api.install_http_guards(app)
    app.include_router(api.build_router(desk))  # type: ignore[arg-type]
    app.include_router(web.build_router(desk))  # type: ignore[arg-type]
    return TestClient(app)


def answer_json(client: TestClient, **overrides: str) -> httpx.Response:
    body = {"reference": "M-AB12-CD34", "secret": SECRET, "answer": ANSWER, **overrides}
    return client.post("/api/v1/answers", json=body)


def test_api_answer_is_accepted_once_per_question(client: TestClient, desk: FakeDesk) -> None:
    r = answer_json(client)
    assert r.status_code == 202
    assert desk.sent == [ANSWER]
    again = answer_json(client)
    assert again.status_code == 409
    assert again.json() == {"error": "no_open_question"}
    assert desk.sent == [ANSWER]


def test_api_answer_with_a_wrong_secret_or_reference_is_the_same_404(
    client: TestClient, desk: FakeDesk
) -> None:
    wrong_secret = answer_json(client, secret="not-the-secret")
    wrong_reference = answer_json(client, reference="M-0000-0000")
    assert wrong_secret.status_code == wrong_reference.status_code == 404
    assert wrong_secret.json() == wrong_reference.json() == {"error": "unknown_receipt"}
    assert desk.sent == []


def test_api_answer_when_intake_is_down_is_unavailable_without_details(
    client: TestClient, desk: FakeDesk
) -> None:
    desk.intake_down = True
    r = answer_json(client)
    assert r.status_code == 503
    assert r.json()["error"] == "unavailable"
    assert "intake" not in r.text.lower()


def test_api_answer_must_fit_a_description_and_is_not_echoed(client: TestClient, desk: FakeDesk) -> None:
    r = answer_json(client, answer="rood " * (domain.MAX_ANSWER_CHARS // 5) + "x")
    assert r.status_code == 422
    assert "rood" not in r.text and SECRET not in r.text
    assert answer_json(client, answer="   ").status_code == 422
    assert desk.sent == []


def lookup(client: TestClient) -> httpx.Response:
    return client.post("/status", data={"reference": "M-AB12-CD34", "secret": SECRET, "lang": "nl"})


def test_status_page_offers_an_answer_form_with_the_token_never_the_secret(client: TestClient) -> None:
    r = lookup(client)
    assert r.status_code == 200
    html = r.text
    assert 'action="/answer"' in html
    assert re.search(r'<label for="answer">', html) and '<textarea id="answer" name="answer"' in html
    assert 'name="token" value="123.signed"' in html
    assert SECRET not in html
    assert "<script" not in html
    assert r.headers["cache-control"] == "no-store"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert "form-action 'self'" in r.headers["content-security-policy"]


def test_status_page_without_an_open_question_has_no_answer_form(client: TestClient, desk: FakeDesk) -> None:
    desk.items.append(ANSWERED)
    assert 'action="/answer"' not in lookup(client).text


def answer_form(client: TestClient, **overrides: str) -> httpx.Response:
    data = {"lang": "nl", "reference": "M-AB12-CD34", "token": "123.signed", "answer": ANSWER, **overrides}
    return client.post("/answer", data=data)


def test_answer_form_sends_the_answer_and_confirms(client: TestClient, desk: FakeDesk) -> None:
    r = answer_form(client, answer="De auto was rood.\r\nEen Golf.")
    assert r.status_code == 200
    assert TEXTS.page("nl")["answered"] in r.text
    assert desk.sent == ["De auto was rood.\nEen Golf."]
    assert r.headers["cache-control"] == "no-store"
    again = answer_form(client)
    assert again.status_code == 409
    assert TEXTS.page("nl")["no_open_question"] in again.text


def test_an_expired_answer_form_sends_nothing_and_gives_the_text_back(
    client: TestClient, desk: FakeDesk
) -> None:
    r = answer_form(client, token="1.forged", lang="en")
    assert r.status_code == 403
    assert TEXTS.page("en")["answer_expired"] in r.text
    assert "De auto was rood." in r.text
    assert desk.sent == []


def test_an_empty_answer_shows_the_form_again_with_the_reason(client: TestClient, desk: FakeDesk) -> None:
    r = answer_form(client, answer="  ")
    assert r.status_code == 422
    assert TEXTS.page("nl")["answer_required"] in r.text and 'aria-invalid="true"' in r.text
    assert desk.sent == []


def test_when_intake_is_down_the_page_keeps_the_answer_for_another_try(
    client: TestClient, desk: FakeDesk
) -> None:
    desk.intake_down = True
    r = answer_form(client)
    assert r.status_code == 503
    assert TEXTS.page("nl")["unavailable"] in r.text
    assert "De auto was rood." in r.text and 'action="/answer"' in r.text
