"""The reporter's status page: server-rendered, NL and EN, no JavaScript. The secret travels only in a
POST body and is never written back into a page or a URL: the rating and answer forms carry a
short-lived signed token instead."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from contracts import ReportStatus
from contracts.intake import Language
from services.feedback import domain
from services.feedback.handlers import BrokerUnavailable, StatusDesk, SupplementUnavailable, Verified

_TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _text(form: Any, name: str, limit: int) -> str:
    value = form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def _answer_at(status: ReportStatus, answerable: bool) -> int | None:
    """Where the answer form goes: under the last question shown, when a question is open."""
    if not answerable:
        return None
    questions = [i for i, entry in enumerate(status.timeline) if entry.status == "question"]
    return questions[-1] if questions else None


def build_router(desk: StatusDesk) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    def page(template: str, lang: Language, status_code: int = 200, **context: Any) -> HTMLResponse:
        html = _TEMPLATES.get_template(template).render(
            lang=lang,
            other_lang="en" if lang == "nl" else "nl",
            t=desk.texts.page(lang),
            **context,
        )
        return HTMLResponse(html, status_code=status_code)

    async def status_page_for(
        verified: Verified,
        lang: Language,
        status_code: int = 200,
        *,
        message: str | None = None,
        answer_error: str | None = None,
        answer_text: str = "",
    ) -> HTMLResponse:
        status, answerable = await desk.status_view(verified, lang)
        return page(
            "status.html",
            lang,
            status_code,
            status=status,
            rating_token=desk.rating_token(verified),
            message=message,
            answer_at=_answer_at(status, answerable),
            answer_max=domain.MAX_ANSWER_CHARS,
            answer_error=answer_error,
            answer_text=answer_text,
        )

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
        return await status_page_for(verified, lang)

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

    @router.post("/answer")
    async def answer_page(request: Request) -> Response:
        form = await request.form()
        lang = domain.pick_language(_text(form, "lang", 2))
        t = desk.texts.page(lang)
        raw = form.get("answer")
        # Cut well above the limit only, so that a too-long answer is reported rather than truncated.
        answer = domain.normalise_answer(raw[: domain.MAX_ANSWER_CHARS * 2] if isinstance(raw, str) else "")
        try:
            verified = await desk.verify_token(_text(form, "reference", 32), _text(form, "token", 128))
        except domain.RatingExpired:
            # Nothing was sent; give the text back so that the reporter need not type it again.
            return page("message.html", lang, 403, message=t["answer_expired"], answer_text=answer)
        problem = domain.answer_problem(answer)
        if problem:
            return await status_page_for(verified, lang, 422, answer_error=t[problem], answer_text=answer)
        try:
            await desk.answer(verified, answer, lang)
        except domain.NoOpenQuestion:
            return page("message.html", lang, 409, message=t["no_open_question"])
        except SupplementUnavailable:
            return await status_page_for(
                verified, lang, 503, answer_error=t["unavailable"], answer_text=answer
            )
        return page("message.html", lang, message=t["answered"])

    return router
