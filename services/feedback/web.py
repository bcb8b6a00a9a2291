"""The reporter's status page: server-rendered, NL and EN, no JavaScript. The secret travels only in a
POST body and is never written back into a page or a URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from contracts.intake import Language
from services.feedback import domain
from services.feedback.handlers import BrokerUnavailable, StatusDesk

_TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _text(form: Any, name: str, limit: int) -> str:
    value = form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def build_router(desk: StatusDesk, answer_url: str | None) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    def page(template: str, lang: Language, status_code: int = 200, **context: Any) -> HTMLResponse:
        html = _TEMPLATES.get_template(template).render(
            lang=lang,
            other_lang="en" if lang == "nl" else "nl",
            t=desk.texts.page(lang),
            answer_url=answer_url,
            **context,
        )
        return HTMLResponse(html, status_code=status_code)

    @router.get("/")
    async def lookup_form(lang: str | None = None) -> Response:
        return page("lookup.html", domain.pick_language(lang), reference="", message=None)

    @router.get("/status")
    async def status_get() -> Response:
        # The lookup is POST only (the secret must never be in a URL); a bookmark lands on the form.
        return RedirectResponse("/", status_code=303)

    @router.post("/status")
    async def status_page(request: Request) -> Response:
        form = await request.form()
        lang = domain.pick_language(_text(form, "lang", 2) or request.query_params.get("lang"))
        t = desk.texts.page(lang)
        reference, secret = _text(form, "reference", 32), _text(form, "secret", 128)
        if len(reference) < 4 or len(secret) < 8:
            return page("lookup.html", lang, 422, reference=reference, message=t["invalid_request"])
        try:
            verified = await desk.verify(reference, secret)
        except domain.UnknownReceipt:
            return page("lookup.html", lang, 404, reference=reference, message=t["unknown_receipt"])
        except domain.TooManyAttempts:
            return page("lookup.html", lang, 429, reference=reference, message=t["too_many_attempts"])
        status = await desk.status(verified, lang)
        return page(
            "status.html", lang, status=status, rating_token=desk.rating_token(verified), message=None
        )

    @router.post("/rate")
    async def rate_page(request: Request) -> Response:
        form = await request.form()
        lang = domain.pick_language(_text(form, "lang", 2))
        t = desk.texts.page(lang)
        score_text = _text(form, "score", 1)
        if score_text not in {"1", "2", "3", "4", "5"}:
            return page("message.html", lang, 422, message=t["invalid_request"])
        try:
            verified = await desk.verify_token(_text(form, "reference", 32), _text(form, "token", 128))
            await desk.rate(verified, int(score_text))
        except domain.RatingExpired:
            return page("message.html", lang, 403, message=t["rating_expired"])
        except domain.AlreadyRated:
            return page("message.html", lang, 409, message=t["already_rated"])
        except BrokerUnavailable:
            return page("message.html", lang, 503, message=t["unavailable"])
        return page("message.html", lang, message=t["rated"])

    return router
