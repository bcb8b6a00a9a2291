"""Anonymizer wiring: settings → private key → the Anonymizer (deduce loaded once) → subscription."""

from __future__ import annotations

from pathlib import Path

from contracts.topics import ANONYMIZED_REPORTS, DEADLETTER, RAW_REPORTS
from services.anonymizer import handlers
from services.anonymizer.domain import Anonymizer, AnonymizerConfig
from services.anonymizer.settings import Settings
from services.runtime.crypto import load_private_key
from services.runtime.service import Service


def build(settings: Settings) -> Service:
    service = Service(
        settings,
        schema=handlers.SCHEMA,
        migrations_dir=Path(__file__).parent / "migrations",
        topics=(RAW_REPORTS, ANONYMIZED_REPORTS, DEADLETTER),
    )
    private_key = load_private_key(settings.private_key, settings.private_key_file, settings.state_dir)
    config_args: dict[str, object] = {
        "review_threshold": settings.review_threshold,
        "time_granularity": settings.time_granularity,
    }
    if settings.deduce_cache is not None:
        config_args["cache_path"] = settings.deduce_cache
    engine = Anonymizer(AnonymizerConfig(**config_args))  # type: ignore[arg-type]
    handlers.register(service, engine, private_key)
    return service
