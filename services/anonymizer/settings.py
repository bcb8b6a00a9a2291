"""Anonymizer settings (env prefix MELDPUNT_ANONYMIZER_, falling back to MELDPUNT_)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from services.runtime.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MELDPUNT_ANONYMIZER_", extra="ignore")

    service_name: str = "anonymizer"
    http_port: int = 8083
    # Base64 X25519 private key; in production from a secret, in development a file under the state dir.
    private_key: str | None = Field(default=None, repr=False)
    private_key_file: Path | None = None
    deduce_cache: Path | None = None
    review_threshold: float = Field(default=0.7, ge=0, le=1)
    time_granularity: str = "hour"
