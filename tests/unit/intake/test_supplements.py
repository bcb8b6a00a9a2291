"""Intake's internal supplement route: the service-token check, and the route over HTTP in process with
the use case replaced by a stub (no database, no broker)."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from nacl.public import PrivateKey

from contracts.intake import MAX_DESCRIPTION_CHARS
from services.intake import app as intake_app
from services.intake import domain, handlers
from services.intake.internal import SUPPLEMENTS_PATH, check_service_token
from services.intake.settings import Settings

TOKEN = "s3rvice-token-for-tests_0123456789abcdef"
ANSWER = "De auto was rood. Bel me op 06-11223344"


# --- the token check ---------------------------------------------------------------------------------


def test_the_configured_bearer_token_is_accepted() -> None:
    assert check_service_token(f"Bearer {TOKEN}", TOKEN) == "ok"
    assert check_service_token(f"bearer  {TOKEN} ", TOKEN) == "ok"


def test_a_different_token_is_wrong() -> None:
    assert check_service_token("Bearer not-the-token", TOKEN) == "wrong"
    assert check_service_token(f"Bearer {TOKEN}x", TOKEN) == "wrong"
    assert check_service_token(f"Bearer {TOKEN[:-1]}", TOKEN) == "wrong"


@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer   ", f"Basic {TOKEN}", TOKEN])
def test_no_bearer_token_at_all_is_missing(header: str | None) -> None:
    assert check_service_token(header, TOKEN) == "missing"


@pytest.mark.parametrize("configured", [None, ""])
def test_without_a_configured_token_the_route_is_absent_whatever_is_sent(configured: str | None) -> None:
    assert check_service_token(f"Bearer {TOKEN}", configured) == "absent"
    assert check_service_token("Bearer ", configured) == "absent"
    assert check_service_token(None, configured) == "absent"


def test_the_token_setting_is_hidden_from_repr_and_read_from_its_file(tmp_path: Path) -> None:
    settings = Settings(supplement_token=TOKEN)
    assert TOKEN not in repr(settings)
    assert settings.resolved_supplement_token() == TOKEN
    token_file = tmp_path / "supplement.token"
    token_file.write_text(TOKEN + "\n")
    assert Settings(supplement_token_file=token_file).resolved_supplement_token() == TOKEN
    assert Settings(supplement_token="  ").resolved_supplement_token() is None


# --- the route over HTTP -----------------------------------------------------------------------------


class Calls:
    def __init__(self) -> None:
        self.seen: list[dict[str, Any]] = []


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Calls:
    calls = Calls()

    async def accept(pool: Any, public_key: Any, payload: Any, **kwargs: Any) -> handlers.Accepted:
        calls.seen.append({"payload": payload, **kwargs})
        return handlers.Accepted(domain.ReceiptSecret("M-AB12-CD34", "unused-secret-123"), replayed=False)

    monkeypatch.setattr(handlers, "accept_report", accept)
    return calls


def make_client(tmp_path: Path, token: str | None) -> TestClient:
    key = base64.b64encode(bytes(PrivateKey.generate().public_key)).decode()
    settings = Settings(anonymizer_public_key=key, state_dir=tmp_path, supplement_token=token)
    service = intake_app.build(settings)
    service._pool = object()  # type: ignore[assignment]  # the stubbed use case never touches it
    return TestClient(service.http)


@pytest.fixture
def client(calls: Calls, tmp_path: Path) -> Iterator[TestClient]:
    yield make_client(tmp_path, TOKEN)


def body(**overrides: Any) -> dict[str, Any]:
    return {"supplement_to": str(uuid.uuid4()), "language": "nl", "description": ANSWER, **overrides}


def test_a_supplement_with_the_token_is_accepted_as_a_web_supplement(
    client: TestClient, calls: Calls
) -> None:
    sent = body()
    r = client.post(SUPPLEMENTS_PATH, json=sent, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 202
    assert r.json() == {"accepted": True}
    [call] = calls.seen
    assert call["channel"] == "web"
    assert call["supplement_to"] == uuid.UUID(sent["supplement_to"])
    assert call["payload"].description == ANSWER
    assert call["payload"].reporter is None and call["payload"].language == "nl"


def test_a_retry_carries_its_submission_id_to_intakes_replay(client: TestClient, calls: Calls) -> None:
    submission = str(uuid.uuid4())
    r = client.post(
        SUPPLEMENTS_PATH, json=body(submission_id=submission), headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert r.status_code == 202
    assert str(calls.seen[0]["payload"].submission_id) == submission


def test_without_a_token_the_route_looks_absent(client: TestClient, calls: Calls) -> None:
    assert client.post(SUPPLEMENTS_PATH, json=body()).status_code == 404
    assert calls.seen == []


def test_a_wrong_token_is_unauthorised(client: TestClient, calls: Calls) -> None:
    r = client.post(SUPPLEMENTS_PATH, json=body(), headers={"Authorization": "Bearer guessed"})
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"
    assert calls.seen == []


def test_the_route_is_absent_when_intake_has_no_token(calls: Calls, tmp_path: Path) -> None:
    client = make_client(tmp_path, None)
    r = client.post(SUPPLEMENTS_PATH, json=body(), headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 404
    assert calls.seen == []


def test_an_answer_longer_than_a_description_is_refused_without_echoing_it(
    client: TestClient, calls: Calls
) -> None:
    long = "rood " * (MAX_DESCRIPTION_CHARS // 5) + "x"
    r = client.post(
        SUPPLEMENTS_PATH, json=body(description=long), headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert r.status_code == 422
    assert r.json()["error"] == "invalid_supplement"
    assert "rood" not in r.text
    assert calls.seen == []


@pytest.mark.parametrize(
    "bad",
    [
        {"supplement_to": "not-a-uuid"},
        {"description": "   "},
        {"language": "de"},
        {"reporter": {"phone": "0611223344"}},
    ],
)
def test_a_malformed_supplement_is_refused(client: TestClient, calls: Calls, bad: dict[str, Any]) -> None:
    r = client.post(SUPPLEMENTS_PATH, json=body(**bad), headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 422
    assert "0611223344" not in r.text
    assert calls.seen == []


def test_the_internal_route_is_not_in_the_public_api_document(client: TestClient) -> None:
    assert SUPPLEMENTS_PATH not in client.get("/api/openapi.json").json()["paths"]
