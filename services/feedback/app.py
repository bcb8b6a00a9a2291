"""Feedback wiring: settings → service shell → subscriptions, the reporter's API and page, the purge job."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from contracts.topics import DEADLETTER, FEEDBACK, OUTCOMES, RECEIPTS, ROUTING
from services.feedback import api, domain, handlers, store, web
from services.feedback.settings import Settings
from services.runtime.logging import get_logger
from services.runtime.service import Service

log = get_logger(__name__)


def build(settings: Settings) -> Service:
    service = Service(
        settings,
        schema=store.SCHEMA,
        migrations_dir=Path(__file__).parent / "migrations",
        topics=(RECEIPTS, ROUTING, OUTCOMES, FEEDBACK, DEADLETTER),
    )
    token = settings.resolved_supplement_token()
    supplements = (
        handlers.SupplementSender(settings.intake_url, token, settings.intake_timeout_s) if token else None
    )
    desk = handlers.StatusDesk(service, settings, domain.load_texts(), supplements)
    handlers.register(service)
    api.install_http_guards(service.http)
    service.http.include_router(api.build_router(desk))
    service.http.include_router(web.build_router(desk))

    async def purge() -> None:
        cutoff = datetime.now(UTC) - timedelta(days=settings.retention_days)
        counts = await store.purge_older_than(service.pool, cutoff)
        if any(counts.values()):
            log.info("retention_purged", **counts)

    service.every(settings.purge_interval_s, "retention_purge", purge)
    return service
