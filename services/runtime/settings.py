"""Settings shared by every service. Each service subclasses ``ServiceSettings`` with its own prefix.

A value is read from ``MELDPUNT_<SERVICE>_<NAME>`` first and falls back to ``MELDPUNT_<NAME>``, so an
operator sets the broker address once for all services and overrides it for one where needed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import (
    BaseSettings,
    DotEnvSettingsSource,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_STATE_DIR = PROJECT_ROOT / ".meldpunt"


def stack_env_file() -> Path:
    """Written by ``meldpunt up`` while it runs: the embedded stack's addresses and settings."""
    return Path(os.environ.get("MELDPUNT_STATE_DIR") or DEFAULT_STATE_DIR) / "stack.env"


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MELDPUNT_", extra="ignore")

    service_name: str = "meldpunt"
    state_dir: Path = DEFAULT_STATE_DIR

    kafka_bootstrap: str = "127.0.0.1:9092"
    # Real Kafka: consumer groups for scaling. The embedded broker: one consumer per service with
    # static partition assignment and offsets committed under the group id (its groups can get stuck).
    kafka_static_assignment: bool = False
    kafka_partitions: int = Field(default=1, ge=1)
    kafka_replication_factor: int = Field(default=1, ge=1)
    # The embedded broker holds every fetch for the full wait even when data is there: keep it low.
    kafka_fetch_max_wait_ms: int = Field(default=500, ge=1)
    # The embedded broker has no InitProducerId: idempotent producers must be off there.
    kafka_enable_idempotence: bool = True
    kafka_security_protocol: Literal["PLAINTEXT", "SASL_PLAINTEXT", "SASL_SSL", "SSL"] = "PLAINTEXT"
    kafka_sasl_mechanism: str | None = None
    kafka_sasl_username: str | None = None
    kafka_sasl_password: str | None = Field(default=None, repr=False)
    kafka_create_topics: bool = True

    database_url: str = Field(default="postgresql://postgres@127.0.0.1:5432/meldpunt", repr=False)
    database_pool_max: int = Field(default=5, ge=1)

    http_host: str = "127.0.0.1"
    http_port: int = 8080

    log_level: str = "INFO"
    otel_exporter_otlp_endpoint: str | None = None
    otel_console: bool = False

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # env_settings uses the service's own prefix; the platform-wide prefix is the fallback. Last come
        # the addresses a running `meldpunt up` publishes, so tools in another shell find its stack.
        shared = EnvSettingsSource(settings_cls, env_prefix="MELDPUNT_")
        stack = DotEnvSettingsSource(settings_cls, env_file=stack_env_file(), env_prefix="MELDPUNT_")
        return init_settings, env_settings, shared, stack, file_secret_settings

    @property
    def consumer_group(self) -> str:
        return f"meldpunt-{self.service_name}"
