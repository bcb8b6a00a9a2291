"""The web form over HTTP, in process, without a database: the use case is replaced by a stub."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from nacl.public import PrivateKey

from services.intake import app as intake_app
from services.intake import domain, handlers, web
from services.intake.settings import Settings

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


class Calls:
    def __init__(self) -> None:
        self.payloads: list[Any] = []
        self.channels: list[str] = []
        self.fail = False


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Calls:
    calls = Calls()

    async def accept(
        pool: Any, public_key: Any, payload: Any, *, channel: str, **_: Any
    ) -> handlers.Accepted:
        if calls.fail:
            raise ConnectionError("database down")
        calls.payloads.append(payload)
        calls.channels.append(channel)
        return handlers.Accepted(domain.ReceiptSecret("M-AB12-CD34", "geheim-secret-123"), replayed=False)

    monkeypatch.setattr(handlers, "accept_report", accept)
    return calls


@pytest.fixture
def client(calls: Calls, tmp_path: Path) -> Iterator[TestClient]:
    key = base64.b64encode(bytes(PrivateKey.generate().public_key)).decode()
    settings = Settings(
        anonymizer_public_key=key,
        state_dir=tmp_path,
        max_body_bytes=64 * 1024,
        public_status_url="https://status.meldpunt.example/",
    )
    service = intake_app.build(settings)
    service._pool = object()  # type: ignore[assignment]  # the stubbed use case never touches it
    # No `with`: the lifespan (database, broker) is not started.
    yield TestClient(service.http)


class Inputs(HTMLParser):
    """Collects form controls and labels to check that every visible control has a label."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.label_for: set[str] = set()
        self.html_lang: str | None = None
        self.fieldsets = 0
        self.legends = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang")
        elif tag in ("input", "select", "textarea") and a.get("type") != "hidden":
            self.controls.append(a)
        elif tag == "label" and a.get("for"):
            self.label_for.add(a["for"] or "")
        elif tag == "fieldset":
            self.fieldsets += 1
        elif tag == "legend":
            self.legends += 1


def parse(html: str) -> Inputs:
    p = Inputs()
    p.feed(html)
    return p


def assert_page_headers(headers: Any) -> None:
    assert headers["cache-control"] == "no-store"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-content-type-options"] == "nosniff"
    csp = headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'none'" in csp and "unsafe-inline" not in csp
    assert "set-cookie" not in headers


def test_form_page_is_dutch_by_default_with_strict_headers_and_no_cookie(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert_page_headers(r.headers)
    page = parse(r.text)
    assert page.html_lang == "nl"
    assert "Bel direct 112" in r.text
    assert "We slaan geen IP-adres, browsergegevens of cookies op." in r.text
    assert "<script" not in r.text and ' style="' not in r.text


def test_every_visible_control_has_a_label_and_fieldsets_have_legends(client: TestClient) -> None:
    page = parse(client.get("/").text)
    names = {c["name"] for c in page.controls}
    assert {
        "category",
        "description",
        "occurred",
        "ongoing",
        "street",
        "house_number",
        "postcode",
        "city",
        "place_description",
        "subject_kind",
        "subject_name",
        "subject_license_plate",
        "attachments",
        "wants_feedback",
        "reporter_name",
    } <= names
    for control in page.controls:
        assert control.get("id") in page.label_for, f"no <label for> {control.get('id')}"
    assert page.fieldsets >= 5 and page.legends == page.fieldsets


def test_file_input_accepts_only_the_accepted_types_and_several_files(client: TestClient) -> None:
    page = parse(client.get("/").text)
    files = next(c for c in page.controls if c["name"] == "attachments")
    assert "multiple" in files
    assert set((files["accept"] or "").split(",")) >= {"image/jpeg", "image/png", "image/webp"}


def test_english_form_and_campaign_from_the_link(client: TestClient) -> None:
    r = client.get("/?lang=en&campaign=poster-almelo")
    assert parse(r.text).html_lang == "en"
    assert "Call 112 immediately" in r.text
    assert 'name="campaign" value="poster-almelo"' in r.text
    assert 'href="/?lang=nl&amp;campaign=poster-almelo"' in r.text


def test_submitting_builds_the_payload_and_shows_the_receipt_once_with_status_link(
    client: TestClient, calls: Calls
) -> None:
    r = client.post(
        "/",
        data={
            "language": "nl",
            "description": "Hennep op zolder",
            "city": "Almelo",
            "category": "ondermijning.drugs.hennepkwekerij",
            "campaign": "poster-almelo",
            "wants_feedback": "on",
        },
        files={"attachments": ("foto.png", PNG, "image/png")},
        headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
    )
    assert r.status_code == 200, r.text
    assert_page_headers(r.headers)
    assert "M-AB12-CD34" in r.text and "geheim-secret-123" in r.text
    assert "https://status.meldpunt.example/" in r.text
    assert calls.channels == ["web"]
    payload = calls.payloads[0]
    assert payload.description == "Hennep op zolder"
    assert payload.incident.location.city == "Almelo"
    assert payload.campaign == "poster-almelo"
    assert payload.attachments[0].content_type == "image/png"
    # The receipt page has no language link: following it would lose the codes.
    assert "?lang=en" not in r.text


def test_social_safety_receipt_shows_help_and_melding_versus_aangifte(client: TestClient) -> None:
    r = client.post(
        "/",
        data={
            "language": "en",
            "description": "Hij slaat haar",
            "category": "sociale-veiligheid.huiselijk-geweld",
            "ongoing": "on",
        },
    )
    assert r.status_code == 200
    assert "Veilig Thuis" in r.text and "0800 2000" in r.text
    assert "A report or a police complaint?" in r.text
    assert "Call 112 immediately" in r.text


def test_empty_description_re_renders_the_form_with_input_kept_and_an_error_summary(
    client: TestClient, calls: Calls
) -> None:
    r = client.post(
        "/", data={"language": "nl", "description": " ", "street": "Dorpsstraat", "ongoing": "on"}
    )
    assert r.status_code == 422
    assert_page_headers(r.headers)
    assert 'class="error-summary"' in r.text
    assert '<a href="#description">Beschrijf wat u wilt melden.</a>' in r.text
    assert 'aria-invalid="true"' in r.text
    assert 'value="Dorpsstraat"' in r.text
    assert re.search(r'id="ongoing" name="ongoing" value="on" checked', r.text)
    assert "Traceback" not in r.text
    assert calls.payloads == []


def test_wrong_file_type_is_refused_with_the_accepted_types_named(client: TestClient) -> None:
    r = client.post(
        "/",
        data={"language": "en", "description": "x"},
        files={"attachments": ("notes.pdf", b"%PDF-1.7", "application/pdf")},
    )
    assert r.status_code == 422
    assert "notes.pdf is not a photo we can accept. We only accept JPEG, PNG or WebP." in r.text


def test_too_long_description_is_refused_and_kept(client: TestClient) -> None:
    r = client.post("/", data={"language": "nl", "description": "a" * 10_001})
    assert r.status_code == 422
    assert "maximaal 10.000 tekens" in r.text


def test_post_from_another_site_is_refused(client: TestClient, calls: Calls) -> None:
    r = client.post("/", data={"description": "x"}, headers={"Origin": "https://evil.example"})
    assert r.status_code == 403
    r = client.post(
        "/", data={"description": "x"}, headers={"Sec-Fetch-Site": "cross-site", "Origin": "null"}
    )
    assert r.status_code == 403
    assert calls.payloads == []


def test_null_origin_from_our_own_no_referrer_page_is_accepted(client: TestClient, calls: Calls) -> None:
    r = client.post(
        "/", data={"description": "x"}, headers={"Origin": "null", "Sec-Fetch-Site": "same-origin"}
    )
    assert r.status_code == 200
    assert len(calls.payloads) == 1


def test_a_body_over_the_limit_gets_an_html_page_not_json(client: TestClient) -> None:
    r = client.post(
        "/?lang=en",
        data={"description": "x"},
        files={"attachments": ("big.png", PNG + b"\x00" * 70 * 1024, "image/png")},
    )
    assert r.status_code == 413
    assert r.headers["content-type"].startswith("text/html")
    assert "Your report is too large" in r.text
    assert_page_headers(r.headers)


def test_when_the_database_fails_the_reporter_gets_their_input_back(
    client: TestClient, calls: Calls, capsys: pytest.CaptureFixture[str]
) -> None:
    calls.fail = True
    r = client.post("/", data={"language": "nl", "description": "Geheime beschrijving 4711"})
    assert r.status_code == 503
    assert "Uw melding is niet verstuurd" in r.text
    assert "Geheime beschrijving 4711" in r.text
    out = capsys.readouterr()
    assert "Geheime beschrijving" not in out.out + out.err


def test_stylesheet_is_served_with_nosniff(client: TestClient) -> None:
    r = client.get(web.STATIC_PATH + "/form.css")
    assert r.status_code == 200
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["content-type"].startswith("text/css")


def test_nl_and_en_texts_have_the_same_keys() -> None:
    texts = web.load_texts()
    assert web._shape(texts["nl"]) == web._shape(texts["en"])
