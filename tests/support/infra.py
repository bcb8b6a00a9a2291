"""The tests' infrastructure, chosen in this order: addresses given in the environment; Docker answering
→ testcontainers (real Kafka and PostgreSQL images); otherwise the embedded broker and PostgreSQL."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from services.runtime.embedded import EmbeddedBroker, EmbeddedPostgres, free_port


@dataclass
class Infra:
    kind: str  # "environment", "testcontainers" or "embedded"
    bootstrap: str
    admin_database_url: str
    embedded_broker: EmbeddedBroker | None = None
    service_env: dict[str, str] = field(default_factory=dict)

    def new_database(self) -> str:
        """A fresh database for one group of tests, so their services' schemas start empty."""
        import asyncio

        import asyncpg

        name = "t_" + uuid.uuid4().hex[:12]

        async def create() -> None:
            conn = await asyncpg.connect(self.admin_database_url)
            try:
                await conn.execute(f'CREATE DATABASE "{name}"')
            finally:
                await conn.close()

        asyncio.run(create())
        base, _, _ = self.admin_database_url.rpartition("/")
        return f"{base}/{name}"

    @property
    def broker_restartable(self) -> bool:
        return self.embedded_broker is not None


def docker_available() -> bool:
    if not shutil.which("docker"):
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=10).returncode == 0  # noqa: S607
    except (OSError, subprocess.TimeoutExpired):
        return False


@contextlib.contextmanager
def provide_infra(tmp: Path) -> Iterator[Infra]:
    bootstrap = os.environ.get("MELDPUNT_TEST_KAFKA_BOOTSTRAP")
    database = os.environ.get("MELDPUNT_TEST_DATABASE_URL")
    if bootstrap and database:
        yield Infra("environment", bootstrap, database)
        return
    if docker_available():
        from testcontainers.kafka import KafkaContainer
        from testcontainers.postgres import PostgresContainer

        with KafkaContainer().with_kraft() as kafka, PostgresContainer("postgres:18", driver=None) as pg:
            yield Infra("testcontainers", kafka.get_bootstrap_server(), pg.get_connection_url())
        return
    broker = EmbeddedBroker(port=free_port(), log_path=tmp / "broker.log")
    # PostgreSQL runs as its own system user under root, so its data must not sit below pytest's
    # temporary folder: pytest may reset that folder to mode 0700 while the server runs.
    pg_dir = Path(tempfile.mkdtemp(prefix="meldpunt-test-pg-"))
    postgres = EmbeddedPostgres(pg_dir / "data", port=free_port())
    broker.start()
    try:
        postgres.start()
        try:
            yield Infra(
                "embedded",
                broker.bootstrap,
                postgres.url,
                embedded_broker=broker,
                # The embedded broker's limits, handled by settings (see README).
                service_env={
                    "MELDPUNT_KAFKA_STATIC_ASSIGNMENT": "true",
                    "MELDPUNT_KAFKA_ENABLE_IDEMPOTENCE": "false",
                    "MELDPUNT_KAFKA_FETCH_MAX_WAIT_MS": "10",
                },
            )
        finally:
            postgres.destroy()
            shutil.rmtree(pg_dir, ignore_errors=True)
    finally:
        broker.stop()
