"""Metrics settings (env prefix MELDPUNT_METRICS_, falling back to MELDPUNT_)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from services.runtime.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MELDPUNT_METRICS_", extra="ignore")

    service_name: str = "metrics"
    http_port: int = 8082
    k_threshold: int = Field(default=5, ge=1)
    gauge_interval_s: float = Field(default=30, gt=0)
