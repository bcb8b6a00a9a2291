"""Feedback settings (env prefix MELDPUNT_FEEDBACK_, falling back to MELDPUNT_)."""

from __future__ import annotations

from pathlib import Path

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
    # How long the rating and answer forms on a status page stay valid.
    rating_token_ttl_s: int = Field(default=1800, ge=60)
    # A reporter's answer to a partner's question goes to intake's internal supplement route, with a
    # token shared with intake (in compose a secret file, read through the _file setting). Without a
    # token the status page shows questions but no answer form.
    intake_url: str = "http://127.0.0.1:8080"
    intake_timeout_s: float = Field(default=10.0, gt=0)
    supplement_token: str | None = Field(default=None, repr=False)
    supplement_token_file: Path | None = None

    def resolved_supplement_token(self) -> str | None:
        """The token from its file when one is named, else the value; empty counts as unset."""
        if self.supplement_token_file is not None:
            return self.supplement_token_file.read_text(encoding="utf-8").strip() or None
        return (self.supplement_token or "").strip() or None
