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
