"""Feedback settings (env prefix MELDPUNT_FEEDBACK_, falling back to MELDPUNT_)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from services.runtime.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MELDPUNT_FEEDBACK_", extra="ignore")

    service_name: str = "feedback"
    http_port: int = 8081
    retention_days: int = Field(default=365, ge=1)
    purge_interval_s: float = Field(default=3600, gt=0)
    # Failed status lookups per reference (unknown references count too) before answering 429.
    max_failed_lookups: int = Field(default=5, ge=1)
    failed_lookup_window_s: int = Field(default=900, ge=1)
    # Argon2id verifications running at once (each takes tens of MiB for tens of milliseconds).
    verify_concurrency: int = Field(default=4, ge=1)
    # How long the rating form on a status page stays valid.
    rating_token_ttl_s: int = Field(default=1800, ge=60)
    # Where a reporter answers a partner's question (intake's form); shown as a link when set.
    answer_url: str | None = None
