"""Intake's HTTP API: ``POST /api/v1/reports`` and ``GET /api/v1/categories``.

Thin: validate, accept, answer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError

from contracts import Category, IntakePayload, ReceiptIssued
from contracts.taxonomy import load_taxonomy
from services.intake import domain
from services.intake.handlers import accept_report
from services.runtime.service import Service


def field_errors(exc: ValidationError | RequestValidationError) -> list[dict[str, Any]]:
    """Field-level reasons without echoing the submitted values back (they may identify the reporter)."""
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p != "body"]
        out.append(
            {
                "field": ".".join(loc) or "body",
                "reason": err.get("type", "invalid"),
                "message": err.get("msg"),
            }
        )
    return out


def install_error_handlers(app: FastAPI, max_body_bytes: int) -> None:
    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"error": "invalid_report", "fields": field_errors(exc)}, status_code=422)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        # Never a stack trace to the reporter; the error class is logged, not the content.
        from services.runtime.logging import get_logger

        get_logger(__name__).error("request_failed", error=type(exc).__name__)
        return JSONResponse(
            {"error": "internal_error", "message": "Please try again later."}, status_code=500
        )

    @app.middleware("http")
    async def _limit_body(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > max_body_bytes):
            return JSONResponse({"error": "payload_too_large", "max_bytes": max_body_bytes}, status_code=413)
        return await call_next(request)


def build_router(service: Service, public_key: Any) -> APIRouter:
    router = APIRouter(prefix="/api/v1")
    taxonomy = load_taxonomy()

    @router.post("/reports", status_code=202, response_model=ReceiptIssued)
    async def post_report(payload: IntakePayload) -> ReceiptIssued:
        accepted = await accept_report(service.pool, public_key, payload, channel="api")
        service.metrics.count("replayed" if accepted.replayed else "accepted")
        urgent, help_orgs = domain.advice(payload, taxonomy)
        return ReceiptIssued(
            reference=accepted.receipt.reference,
            secret=accepted.receipt.secret,
            status_url=service.settings.public_status_url,  # type: ignore[attr-defined]
            urgent_advice=urgent,
            help=help_orgs,
        )

    @router.get("/categories", response_model=list[Category])
    async def categories() -> list[Category]:
        return [Category(code=c.code, label_nl=c.nl, label_en=c.en) for c in taxonomy.categories]

    return router
