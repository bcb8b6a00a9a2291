"""Router wiring: settings → rule set, gazetteer and partner registry (validated at start-up) → subscription,
partner topics and the operator page."""

from __future__ import annotations

from pathlib import Path

from contracts.topics import ANONYMIZED_REPORTS, CORE_TOPICS
from services.router import api, handlers, store
from services.router.geo import Gazetteer
from services.router.rules import load_ruleset
from services.router.settings import Settings
from services.runtime.crypto import load_or_create_secret
from services.runtime.service import Service


def load_context(settings: Settings) -> handlers.RouterContext:
    rules = load_ruleset(settings.rules_file)
    return handlers.RouterContext(
        rules=rules,
        gazetteer=Gazetteer.load(),
        partners=rules.partners,
        location_secret=load_or_create_secret(
            settings.location_key_file.read_text() if settings.location_key_file else settings.location_key,
            settings.state_dir,
            "location",
        ),
        window_days=settings.earlier_reports_window_days,
    )


def build(settings: Settings) -> Service:
    ctx = load_context(settings)
    topics = [*CORE_TOPICS, *ctx.partners.topics()]
    assert ANONYMIZED_REPORTS in topics
    service = Service(
        settings,
        schema=store.SCHEMA,
        migrations_dir=Path(__file__).parent / "migrations",
        topics=topics,
        title="Meldpunt router and triage",
    )
    handlers.register(service, ctx)
    service.http.include_router(api.build_router(service, ctx))

    async def purge() -> None:
        await store.purge_locations(service.pool, settings.earlier_reports_window_days)

    service.every(3600, "purge_locations", purge)
    return service
