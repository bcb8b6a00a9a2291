"""The operator page and API for the triage queue (bind it to an internal address: operators only)."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from services.router import store
from services.router.handlers import RouterContext
from services.router.triage import TriageError, release, waiting_summary
from services.runtime.service import Service

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
}


def build_router(service: Service, ctx: RouterContext) -> APIRouter:
    router = APIRouter()

    @router.get("/api/v1/triage")
    async def list_triage() -> list[dict[str, object]]:
        return [waiting_summary(r) for r in await store.waiting_triage(service.pool)]

    @router.post("/api/v1/triage/{report_id}/release")
    async def release_api(report_id: UUID, partner_ids: list[str] | None = None) -> JSONResponse:
        try:
            decision = await release(service.pool, service.broker, ctx, report_id, partner_ids)
        except TriageError as exc:
            status = 404 if exc.code == "not_in_triage" else 409 if exc.code == "already_released" else 422
            return JSONResponse({"error": exc.code, "message": str(exc)}, status_code=status)
        return JSONResponse({"released_to": decision.partners, "lead_partner": decision.lead_partner})

    @router.get("/", response_class=HTMLResponse)
    async def page(request: Request, done: str | None = None, error: str | None = None) -> Response:
        rows = [waiting_summary(r) for r in await store.waiting_triage(service.pool)]
        return TEMPLATES.TemplateResponse(
            request,
            "triage.html",
            {"rows": rows, "done": done, "error": error, "ruleset": ctx.rules.version},
            headers=SECURITY_HEADERS,
        )

    @router.post("/triage/{report_id}")
    async def release_form(report_id: UUID, partner_id: str = Form("")) -> Response:
        targets = [p.strip() for p in partner_id.split(",") if p.strip()] or None
        try:
            await release(service.pool, service.broker, ctx, report_id, targets)
        except TriageError as exc:
            return RedirectResponse(f"/?error={exc.code}", status_code=303)
        return RedirectResponse("/?done=released", status_code=303)

    return router
