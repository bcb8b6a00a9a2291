"""``meldpunt up``: the whole platform on one machine without Docker.

Starts the embedded broker and PostgreSQL, creates the topics, runs each of the five services as its
own process, prints the URLs and supervises until Ctrl-C, then stops everything in reverse order.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from pydantic_settings import BaseSettings, SettingsConfigDict

from contracts.topics import CORE_TOPICS
from services.runtime.crypto import dev_key_files, load_or_create_secret
from services.runtime.embedded import EmbeddedBroker, EmbeddedPostgres
from services.runtime.kafka import ensure_topics
from services.runtime.logging import configure_logging, get_logger
from services.runtime.settings import DEFAULT_STATE_DIR, ServiceSettings, stack_env_file

SERVICES = ("intake", "anonymizer", "router", "feedback", "metrics")
log = get_logger(__name__)


class StackSettings(BaseSettings):
    """Where the embedded parts listen. Service ports are each service's own setting."""

    model_config = SettingsConfigDict(env_prefix="MELDPUNT_", extra="ignore")

    state_dir: Path = DEFAULT_STATE_DIR
    kafka_bootstrap: str = "127.0.0.1:9092"
    postgres_host: str = "127.0.0.1"
    postgres_port: int = 5432
    startup_timeout_s: float = 180.0


def embedded_service_env(bootstrap: str, database_url: str, state_dir: Path) -> dict[str, str]:
    """Settings that adapt the services to the embedded broker's limits (see README), and the service
    token intake and feedback share for a reporter's answers: a development secret under the state
    folder's keys, made on first use like the other development keys, passed as a file, never a value."""
    load_or_create_secret(None, state_dir, "supplement-token")
    token_file = str(state_dir / "keys" / "supplement-token.key")
    return {
        "MELDPUNT_KAFKA_BOOTSTRAP": bootstrap,
        "MELDPUNT_DATABASE_URL": database_url,
        "MELDPUNT_STATE_DIR": str(state_dir),
        "MELDPUNT_KAFKA_STATIC_ASSIGNMENT": "true",
        "MELDPUNT_KAFKA_ENABLE_IDEMPOTENCE": "false",
        "MELDPUNT_KAFKA_FETCH_MAX_WAIT_MS": "10",
        "MELDPUNT_INTAKE_SUPPLEMENT_TOKEN_FILE": token_file,
        "MELDPUNT_FEEDBACK_SUPPLEMENT_TOKEN_FILE": token_file,
        "MELDPUNT_FEEDBACK_INTAKE_URL": service_url("intake", {"MELDPUNT_STATE_DIR": str(state_dir)}),
    }


def start_service(name: str, env: dict[str, str], log_dir: Path) -> subprocess.Popen[bytes]:
    log_dir.mkdir(parents=True, exist_ok=True)
    out = open(log_dir / f"{name}.log", "ab")  # noqa: SIM115 - owned by the child for its lifetime
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "services.cli", "serve", name],
        env={**os.environ, **env},
        stdout=out,
        stderr=subprocess.STDOUT,
    )


def service_url(name: str, env: dict[str, str]) -> str:
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        settings: ServiceSettings = importlib.import_module(f"services.{name}.settings").Settings()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    host = "127.0.0.1" if settings.http_host in ("0.0.0.0", "::") else settings.http_host  # noqa: S104
    return f"http://{host}:{settings.http_port}"


def wait_healthy(urls: dict[str, str], procs: dict[str, subprocess.Popen[bytes]], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    pending = dict(urls)
    while pending and time.monotonic() < deadline:
        for name, url in list(pending.items()):
            if procs[name].poll() is not None:
                raise RuntimeError(f"{name} exited with code {procs[name].returncode}; see its log")
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    del pending[name]
            except httpx.HTTPError:
                pass
        time.sleep(0.5)
    if pending:
        raise TimeoutError(f"not healthy after {timeout:.0f}s: {', '.join(pending)}")


def stop_processes(procs: dict[str, subprocess.Popen[bytes]]) -> None:
    for proc in procs.values():
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in procs.values():
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()


def main(args: argparse.Namespace | None = None) -> int:
    cfg = StackSettings()
    configure_logging("stack")
    state = cfg.state_dir.resolve()
    logs = state / "logs"
    host, _, port = cfg.kafka_bootstrap.rpartition(":")
    broker = EmbeddedBroker(host=host or "127.0.0.1", port=int(port), log_path=None)
    postgres = EmbeddedPostgres(state / "postgres", host=cfg.postgres_host, port=cfg.postgres_port)
    procs: dict[str, subprocess.Popen[bytes]] = {}
    stopping = False

    def _stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        dev_key_files(state)
        postgres.start()
        broker.start()
        env = embedded_service_env(broker.bootstrap, postgres.url, state)
        asyncio.run(
            ensure_topics(ServiceSettings(kafka_bootstrap=broker.bootstrap), list(CORE_TOPICS))
        )
        env_file = stack_env_file()
        env_file.write_text("".join(f"{k}={v}\n" for k, v in env.items()), encoding="utf-8")
        urls = {name: service_url(name, env) for name in SERVICES}
        for name in SERVICES:
            procs[name] = start_service(name, env, logs)
        print("Meldpunt is starting (the anonymizer loads its name lists, ~15 s)...", flush=True)
        wait_healthy(urls, procs, cfg.startup_timeout_s)
        print(
            "\nMeldpunt is up.\n"
            f"  report form (intake)   {urls['intake']}/\n"
            f"  reporter status        {urls['feedback']}/\n"
            f"  dashboard (metrics)    {urls['metrics']}/\n"
            f"  anonymizer health      {urls['anonymizer']}/healthz\n"
            f"  router / triage        {urls['router']}/\n"
            f"  Kafka-protocol broker  {broker.bootstrap} (embedded, in memory)\n"
            f"  PostgreSQL             {postgres.url} (data in {postgres.data_dir})\n"
            f"  logs                   {logs}/\n"
            "Follow a partner:  .venv/bin/meldpunt partner listen politie\n"
            "Press Ctrl-C to stop.",
            flush=True,
        )
        while not stopping:
            for name, proc in procs.items():
                if proc.poll() is not None and not stopping:
                    log.warning("service_exited_restarting", service=name, code=proc.returncode)
                    procs[name] = start_service(name, env, logs)
            time.sleep(0.5)
        return 0
    except (RuntimeError, TimeoutError, subprocess.CalledProcessError) as exc:
        print(f"meldpunt up failed: {exc}. Logs are in {logs}/", file=sys.stderr)
        return 1
    finally:
        print("\nStopping services...", flush=True)
        stop_processes(procs)
        stack_env_file().unlink(missing_ok=True)
        broker.stop()
        postgres.stop()
        print("Stopped.", flush=True)
