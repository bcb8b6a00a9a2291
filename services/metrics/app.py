"""Metrics wiring: settings → service shell → subscriptions, the stats API, the dashboard, a gauge."""

from __future__ import annotations

import asyncio
from pathlib import Path

from prometheus_client import Gauge

from contracts.topics import ANONYMIZED_REPORTS, DEADLETTER, FEEDBACK, OUTCOMES, ROUTING
from services.metrics import api, handlers, store, web
from services.metrics.settings import Settings
from services.runtime.logging import get_logger
from services.runtime.service import Service

log = get_logger(__name__)


def build(settings: Settings) -> Service:
    service = Service(
        settings,
        schema=store.SCHEMA,
        migrations_dir=Path(__file__).parent / "migrations",
        topics=(ANONYMIZED_REPORTS, ROUTING, OUTCOMES, FEEDBACK, DEADLETTER),
    )
    web.load_labels()  # a broken labels file stops start-up, not the first page view
    handlers.register(service)
    api.install_error_handlers(service.http)
    service.http.include_router(api.build_router(service, settings.k_threshold))
    service.http.include_router(web.build_router(service, settings.k_threshold))

    reports = Gauge(
        "meldpunt_metrics_reports",
        "Reports metrics knows about (no labels: no report data).",
        ["service"],
        registry=service.metrics.registry,
    )

    async def refresh_gauges(stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                reports.labels(settings.service_name).set(await store.total_reports(service.pool))
            except Exception as exc:  # noqa: BLE001 - a gauge refresh never stops the service
                log.warning("gauge_refresh_failed", error=type(exc).__name__)
            try:
                await asyncio.wait_for(stop.wait(), timeout=settings.gauge_interval_s)
            except TimeoutError:
                pass

    service.background(refresh_gauges)
    return service
