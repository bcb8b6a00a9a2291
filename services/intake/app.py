"""Intake wiring: settings → keys → service shell → API, web form and outbox relay."""

from __future__ import annotations

import asyncio
from pathlib import Path

from services.intake import api, internal, store, web
from services.intake.settings import Settings
from services.runtime.crypto import load_public_key
from services.runtime.outbox import run_relay
from services.runtime.service import Service


def build(settings: Settings) -> Service:
    service = Service(settings, schema=store.SCHEMA, migrations_dir=Path(__file__).parent / "migrations")
    public_key = load_public_key(
        settings.anonymizer_public_key, settings.anonymizer_public_key_file, settings.state_dir
    )
    api.install_error_handlers(service.http, settings.max_body_bytes)
    service.http.include_router(api.build_router(service, public_key))
    service.http.include_router(
        internal.build_router(service, public_key, settings.resolved_supplement_token())
    )
    web.install(service, public_key)

    async def relay(stop: asyncio.Event) -> None:
        await service.broker_ready.wait()
        await run_relay(
            service.pool,
            store.SCHEMA,
            service.broker,
            service.metrics,
            interval_s=settings.outbox_poll_interval_s,
            batch=settings.outbox_batch_size,
            stop=stop,
        )

    service.background(relay)

    async def purge() -> None:
        await store.purge_submissions(service.pool)

    service.every(3600, "purge_submissions", purge)
    return service
