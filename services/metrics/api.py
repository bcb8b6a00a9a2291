"""Metrics' JSON API: ``GET /api/v1/stats`` (optionally ``?dimension=``) and ``GET /api/v1/stats/summary``.
Thin: read counts, suppress small cells, answer. Nothing below the k threshold leaves the service."""

from __future__ import annotations

from typing import Any

import asyncpg
from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict

from contracts.api import CountRow, Stats
from services.metrics import domain, store
from services.runtime.logging import get_logger
from services.runtime.service import Service

log = get_logger(__name__)


class DimensionStats(BaseModel):
    """``GET /api/v1/stats?dimension=<name>``: one dimension's suppressed counts."""

    model_config = ConfigDict(extra="forbid")
    dimension: str
    k_threshold: int
    total_reports: int | None
    rows: list[CountRow]


class Summary(BaseModel):
    """``GET /api/v1/stats/summary``: headline figures, each ``None`` until there is enough data."""

    model_config = ConfigDict(extra="forbid")
    k_threshold: int
    total_reports: int | None
    arrest_one_in: int | None
    first_response_median_hours: float | None


async def load_figures(
    pool: asyncpg.Pool, k: int, dimensions: tuple[str, ...] = domain.DIMENSIONS
) -> domain.Figures:
    counts = {name: await store.counts(pool, domain.dimension(name)) for name in dimensions}
    return domain.build_figures(
        k,
        await store.total_reports(pool),
        counts,
        await store.reports_with_outcome(pool, "arrest"),
        await store.first_response_seconds(pool),
    )


def error(code: str, status: int, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": code, **extra}, status_code=status)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        fields = [
            {"field": ".".join(str(p) for p in e.get("loc", ())), "reason": str(e.get("type", "invalid"))}
            for e in exc.errors()
        ]
        return error("invalid_request", 422, fields=fields)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.error("request_failed", error=type(exc).__name__)
        return error("internal_error", 500, message="Please try again later.")


def build_router(service: Service, k: int) -> APIRouter:
    router = APIRouter(prefix="/api/v1")

    @router.get(
        "/stats",
        response_model=Stats | DimensionStats,
        responses={422: {"description": '{"error": "unknown_dimension", "allowed": [...]}'}},
    )
    async def stats(dimension: str | None = None) -> Response:
        if dimension is None:
            figures = await load_figures(
                service.pool, k, ("category", "partner", "outcome", "channel", "municipality")
            )
            return JSONResponse(domain.stats_of(figures).model_dump(mode="json"))
        try:
            name = domain.dimension(dimension)
        except domain.UnknownDimension:
            return error("unknown_dimension", 422, allowed=list(domain.DIMENSIONS))
        total = await store.total_reports(service.pool)
        rows = domain.suppress(
            await store.counts(service.pool, name), k, ordered=name in domain.ORDERED_DIMENSIONS
        )
        body = DimensionStats(
            dimension=name, k_threshold=k, total_reports=domain.suppress_total(total, k), rows=rows
        )
        return JSONResponse(body.model_dump(mode="json"))

    @router.get("/stats/summary", response_model=Summary)
    async def summary() -> Response:
        figures = await load_figures(service.pool, k, ())
        body = Summary(
            k_threshold=k,
            total_reports=figures.total,
            arrest_one_in=figures.arrest_one_in,
            first_response_median_hours=figures.first_response_hours,
        )
        return JSONResponse(body.model_dump(mode="json"))

    return router
