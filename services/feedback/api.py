"""Feedback's JSON API: ``POST /api/v1/status``, ``POST /api/v1/satisfaction`` and ``POST /api/v1/answers``.
Thin: validate, ask the status desk, answer. Wrong reference and wrong secret get the same answer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from contracts import ReportStatus, StatusRequest
from services.feedback import domain
from services.feedback.handlers import BrokerUnavailable, StatusDesk, SupplementUnavailable
from services.runtime.logging import get_logger

log = get_logger(__name__)

# Sent on every answer: a status page must not be cached or leak its address onwards.
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
}
# Room for an answer of the maximum length even as percent-encoded multi-byte UTF-8 in a form post.
MAX_BODY_BYTES = 128 * 1024


class SatisfactionRequest(BaseModel):
    """``POST /api/v1/satisfaction``: the receipt again, and a score from 1 (very dissatisfied) to 5."""

    model_config = ConfigDict(extra="forbid")
    reference: str = Field(min_length=4, max_length=32)
    secret: str = Field(min_length=8, max_length=128, repr=False)
    score: int = Field(ge=1, le=5)


class AnswerRequest(BaseModel):
    """``POST /api/v1/answers``: the receipt again, and the answer to the partner's open question."""

    model_config = ConfigDict(extra="forbid")
    reference: str = Field(min_length=4, max_length=32)
    secret: str = Field(min_length=8, max_length=128, repr=False)
    answer: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=domain.MAX_ANSWER_CHARS)
    ] = Field(repr=False)


def error(code: str, status: int, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": code, **extra}, status_code=status)


def field_errors(exc: ValidationError | RequestValidationError) -> list[dict[str, str]]:
    """Which fields failed and why, never the submitted values (a secret, for one)."""
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p != "body"]
        out.append({"field": ".".join(loc) or "body", "reason": str(err.get("type", "invalid"))})
    return out


def install_http_guards(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return error("invalid_request", 422, fields=field_errors(exc))

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.error("request_failed", error=type(exc).__name__)
        return error("internal_error", 500, message="Please try again later.")

    @app.middleware("http")
    async def _guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            response: Response = error("payload_too_large", 413, max_bytes=MAX_BODY_BYTES)
        else:
            response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response


def build_router(desk: StatusDesk) -> APIRouter:
    router = APIRouter(prefix="/api/v1")

    @router.post(
        "/status",
        response_model=ReportStatus,
        responses={
            404: {"description": '{"error": "unknown_receipt"}'},
            429: {"description": "too many attempts"},
        },
    )
    async def post_status(request: StatusRequest) -> Response:
        try:
            verified = await desk.verify(request.reference, request.secret)
        except domain.UnknownReceipt:
            return error("unknown_receipt", 404)
        except domain.TooManyAttempts:
            return error("too_many_attempts", 429)
        status = await desk.status(verified)
        return JSONResponse(status.model_dump(mode="json"))

    @router.post("/satisfaction", status_code=202)
    async def post_satisfaction(request: SatisfactionRequest) -> Response:
        try:
            verified = await desk.verify(request.reference, request.secret)
            await desk.rate(verified, request.score)
        except domain.UnknownReceipt:
            return error("unknown_receipt", 404)
        except domain.TooManyAttempts:
            return error("too_many_attempts", 429)
        except domain.AlreadyRated:
            return error("already_rated", 409)
        except BrokerUnavailable:
            return error("unavailable", 503, message="Please try again later.")
        return JSONResponse({"status": "accepted"}, status_code=202)

    @router.post(
        "/answers",
        status_code=202,
        responses={
            404: {"description": '{"error": "unknown_receipt"}'},
            409: {"description": '{"error": "no_open_question"}'},
            429: {"description": "too many attempts"},
            503: {"description": '{"error": "unavailable"}'},
        },
    )
    async def post_answer(request: AnswerRequest) -> Response:
        """Answer a partner's open question. The answer goes, anonymised, to the report's partners."""
        try:
            verified = await desk.verify(request.reference, request.secret)
            await desk.answer(verified, domain.normalise_answer(request.answer))
        except domain.UnknownReceipt:
            return error("unknown_receipt", 404)
        except domain.TooManyAttempts:
            return error("too_many_attempts", 429)
        except domain.NoOpenQuestion:
            return error("no_open_question", 409)
        except SupplementUnavailable:
            return error("unavailable", 503, message="Please try again later.")
        return JSONResponse({"status": "accepted"}, status_code=202)

    return router
