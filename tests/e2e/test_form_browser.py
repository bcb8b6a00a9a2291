"""The reporter's web form in a real browser (headless Debian Chromium) against a running intake service
over the real PostgreSQL and broker: reading, switching language, keyboard use, submitting, errors."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.infra import Infra
from tests.support.platform import Platform

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT = Path("/tmp/form.png")  # noqa: S108 - where the lead looks at it
PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360f8cfc0f01f0005000201e2a7d5b00000000049454e44ae426082"
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.browser,
    # CI sets MELDPUNT_REQUIRE_BROWSER=1 after installing Chromium: there a missing browser fails.
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("MELDPUNT_REQUIRE_BROWSER"),
        reason="Debian Chromium not installed at /usr/bin/chromium (apt-get install chromium)",
    ),
]


@pytest.fixture(scope="module")
def intake_url(infra: Infra, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A running intake service (its own database) on the shared test infrastructure."""
    platform = Platform(
        infra,
        tmp_path_factory.mktemp("form"),
        infra.new_database(),
        extra_env={"MELDPUNT_INTAKE_PUBLIC_STATUS_URL": "http://127.0.0.1:1/status"},
    )
    try:
        platform.start("intake", timeout=180)
        yield platform.url("intake")
    finally:
        platform.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1000, "height": 900}, java_script_enabled=False)  # type: ignore[attr-defined]
    pg = context.new_page()
    try:
        yield pg
    finally:
        # The form promises no cookies: none may have been set by anything we served.
        assert context.cookies() == []
        context.close()


def focused_id(page: object) -> str:
    return str(page.evaluate("document.activeElement && document.activeElement.id"))  # type: ignore[attr-defined]


def test_reporter_reads_switches_language_tabs_to_the_description_and_gets_a_receipt(
    page: object, intake_url: str
) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(intake_url + "/?campaign=poster-test")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_text("Bel direct 112")).to_be_visible()
    expect(
        page.locator(".anonymity").get_by_text("We slaan geen IP-adres, browsergegevens of cookies op.")
    ).to_be_visible()

    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_text("Call 112 immediately")).to_be_visible()
    expect(
        page.locator(".anonymity").get_by_text("We do not store IP addresses, browser data or cookies.")
    ).to_be_visible()
    expect(page.locator("input[name=campaign]")).to_have_value("poster-test")
    page.get_by_role("link", name="Nederlands").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")

    # Every visible control is labelled; the description is reached by Tab, after the category.
    unlabelled = page.evaluate(
        "[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]"
        ".filter(e => !e.labels || e.labels.length === 0).map(e => e.name)"
    )
    assert unlabelled == []
    expect(page.get_by_label("Beschrijf wat u weet of heeft gezien")).to_have_attribute("id", "description")
    order = []
    for _ in range(12):
        page.keyboard.press("Tab")
        order.append(focused_id(page))
        if order[-1] == "description":
            break
    assert order[-1] == "description", f"Tab order: {order}"
    assert order.index("category") < order.index("description")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid", "the focused field must show a visible focus style"

    page.keyboard.type(
        "Bij de loods achter de kerk staan elke nacht busjes met planten. Het ruikt naar wiet."
    )
    page.get_by_label("Waar gaat uw melding over?").select_option("ondermijning.drugs.hennepkwekerij")
    page.get_by_label("Plaats").fill("Vroomshoop")
    page.get_by_label("Foto's toevoegen").set_input_files(
        files=[{"name": "foto.png", "mimeType": "image/png", "buffer": PNG_1PX}]
    )
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Melding versturen").click()
    assert answer.value.status == 200
    assert answer.value.headers["cache-control"] == "no-store"
    expect(page.get_by_role("heading", level=1)).to_have_text("Bedankt, uw melding is ontvangen")
    expect(page.locator("#reference")).to_have_text(re.compile(r"^M-[0-9A-Z]{4}-[0-9A-Z]{4}$"))
    secret = page.locator("#secret").inner_text()
    assert len(secret) >= 20
    expect(page.get_by_role("link", name="Naar de statuspagina")).to_have_attribute(
        "href", "http://127.0.0.1:1/status"
    )
    page.screenshot(path=str(SCREENSHOT.with_name("receipt.png")), full_page=True)


def test_empty_description_shows_the_error_summary_with_a_422(page: object, intake_url: str) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(intake_url + "/?lang=en")
    page.get_by_label("Town or city").fill("Almelo")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Send report").click()
    assert answer.value.status == 422
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error:"))
    expect(page.get_by_label("Town or city")).to_have_value("Almelo")
    summary.get_by_role("link", name="Describe what you want to report.").click()
    expect(page.locator("#description")).to_be_focused()
    page.screenshot(path=str(SCREENSHOT.with_name("form-error.png")), full_page=True)


def test_form_fits_a_phone_screen(browser: object, intake_url: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, java_script_enabled=False)  # type: ignore[attr-defined]
    try:
        pg = context.new_page()
        pg.goto(intake_url + "/")
        overflow = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, "the form must not scroll sideways on a phone"
        pg.screenshot(path=str(SCREENSHOT.with_name("form-mobile.png")))
    finally:
        context.close()
