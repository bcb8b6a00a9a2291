"""Intake settings (env prefix MELDPUNT_INTAKE_, falling back to MELDPUNT_)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from services.runtime.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MELDPUNT_INTAKE_", extra="ignore")

    service_name: str = "intake"
    http_port: int = 8080
    # Base64 X25519 public key of the anonymizer; in development a key file under the state dir.
    anonymizer_public_key: str | None = None
    anonymizer_public_key_file: Path | None = None
    max_body_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)
    outbox_batch_size: int = Field(default=100, ge=1)
    outbox_poll_interval_s: float = Field(default=0.2, gt=0)
    public_status_url: str = "http://127.0.0.1:8081/"
    # Shared with feedback: it authorises posting a reporter's answer to /internal/v1/supplements.
    # Unset (both), the route does not exist. In compose a secret file, read through the _file setting.
    supplement_token: str | None = Field(default=None, repr=False)
    supplement_token_file: Path | None = None

    def resolved_supplement_token(self) -> str | None:
        """The token from its file when one is named, else the value; empty counts as unset."""
        if self.supplement_token_file is not None:
            return self.supplement_token_file.read_text(encoding="utf-8").strip() or None
        return (self.supplement_token or "").strip() or None
