"""Intake's internal API for other Meldpunt services: ``POST /internal/v1/supplements``.

Feedback posts a reporter's answer to a partner's question here; it then travels the raw path
(encrypted outbox → anonymizer → router) like any report, as a supplement. The route is guarded by a
shared service token; without one configured it does not exist. The answer text is never logged.
"""

from __future__ import annotations

import hmac
import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from nacl.public import PublicKey
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from contracts import IntakePayload
from contracts.intake import MAX_DESCRIPTION_CHARS, Language
from services.intake import handlers
from services.intake.api import field_errors
from services.runtime.service import Service

SUPPLEMENTS_PATH = "/internal/v1/supplements"

TokenCheck = Literal["ok", "absent", "missing", "wrong"]


class SupplementRequest(BaseModel):
    """A reporter's answer to a partner's question, about the report ``supplement_to``."""

    model_config = ConfigDict(extra="forbid")
    supplement_to: uuid.UUID
    language: Language = "nl"
    description: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_DESCRIPTION_CHARS)
    ] = Field(repr=False)
    # Set by feedback so that a retried answer is accepted once (intake's submission replay).
    submission_id: uuid.UUID | None = None


def check_service_token(authorization: str | None, expected: str | None) -> TokenCheck:
    """Judge an ``Authorization`` header against the configured token, in constant time.

    ``absent``: no token configured, so the route does not exist. ``missing``: the caller sent no bearer
    token at all (answered as if the route did not exist either). ``wrong``: a bearer token that does not
    match. An empty configured token counts as none: it would let an empty bearer in.
    """
    if not expected:
        return "absent"
    scheme, _, presented = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not presented.strip():
        return "missing"
    ok = hmac.compare_digest(presented.strip().encode(), expected.encode())
    return "ok" if ok else "wrong"


def supplement_payload(request: SupplementRequest) -> IntakePayload:
    """The answer as an intake payload: text only, no reporter block, no channel data."""
    return IntakePayload(
        submission_id=request.submission_id, language=request.language, description=request.description
    )


def build_router(service: Service, public_key: PublicKey, token: str | None) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.post(SUPPLEMENTS_PATH, status_code=202)
    async def post_supplement(request: Request) -> Response:
        # The token is checked before the body is read, so an unauthenticated caller learns nothing
        # about the body's shape either.
        verdict = check_service_token(request.headers.get("authorization"), token)
        if verdict in ("absent", "missing"):
            return JSONResponse({"detail": "Not Found"}, status_code=404)
        if verdict == "wrong":
            return JSONResponse(
                {"error": "unauthorized"}, status_code=401, headers={"WWW-Authenticate": "Bearer"}
            )
        try:
            supplement = SupplementRequest.model_validate_json(await request.body())
        except ValidationError as exc:
            return JSONResponse({"error": "invalid_supplement", "fields": field_errors(exc)}, status_code=422)
        await handlers.accept_report(
            service.pool,
            public_key,
            supplement_payload(supplement),
            channel="web",
            supplement_to=supplement.supplement_to,
        )
        service.metrics.count("supplement_accepted")
        return JSONResponse({"accepted": True}, status_code=202)

    return router
