"""Metrics wiring: settings → service shell → subscriptions, the stats API, the dashboard, a gauge."""

from __future__ import annotations

from pathlib import Path

from prometheus_client import Gauge

from contracts.topics import ANONYMIZED_REPORTS, DEADLETTER, FEEDBACK, OUTCOMES, ROUTING
from services.metrics import api, handlers, store, web
from services.metrics.settings import Settings
from services.runtime.service import Service


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

    async def refresh_gauges() -> None:
        reports.labels(settings.service_name).set(await store.total_reports(service.pool))

    service.every(settings.gauge_interval_s, "refresh_gauges", refresh_gauges)
    return service
