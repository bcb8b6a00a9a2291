"""Feedback's JSON API: ``POST /api/v1/status`` and ``POST /api/v1/satisfaction``. Thin: validate, ask the
status desk, answer. Wrong reference and wrong secret get the same answer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from contracts import ReportStatus, StatusRequest
from services.feedback import domain
from services.feedback.handlers import BrokerUnavailable, StatusDesk
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
MAX_BODY_BYTES = 16_384


class SatisfactionRequest(BaseModel):
    """``POST /api/v1/satisfaction``: the receipt again, and a score from 1 (very dissatisfied) to 5."""

    model_config = ConfigDict(extra="forbid")
    reference: str = Field(min_length=4, max_length=32)
    secret: str = Field(min_length=8, max_length=128, repr=False)
    score: int = Field(ge=1, le=5)


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

    return router
