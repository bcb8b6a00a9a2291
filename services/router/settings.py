"""Router settings (env prefix MELDPUNT_ROUTER_, falling back to MELDPUNT_)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from services.runtime.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MELDPUNT_ROUTER_", extra="ignore")

    service_name: str = "router"
    http_port: int = 8084
    rules_file: Path | None = None
    # Key for the keyed hash of incident addresses; in development a file under the state dir.
    location_key: str | None = Field(default=None, repr=False)
    location_key_file: Path | None = None
    earlier_reports_window_days: int = Field(default=365, ge=1)
