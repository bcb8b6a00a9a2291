"""Run Meldpunt services as real processes against the test infrastructure, and read topics."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from services.runtime.embedded import free_port
from tests.support.infra import Infra

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Platform:
    infra: Infra
    state_dir: Path
    database_url: str
    extra_env: dict[str, str] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MELDPUNT_")}
        env.update(self.infra.service_env)
        env.update(
            {
                "MELDPUNT_KAFKA_BOOTSTRAP": self.infra.bootstrap,
                "MELDPUNT_DATABASE_URL": self.database_url,
                "MELDPUNT_STATE_DIR": str(self.state_dir),
                "MELDPUNT_LOG_LEVEL": "INFO",
            }
        )
        for name, port in self.ports.items():
            env[f"MELDPUNT_{name.upper()}_HTTP_PORT"] = str(port)
        env.update(self.extra_env)
        return env

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def start(self, *services: str, timeout: float = 120) -> None:
        for name in services:
            self.ports.setdefault(name, free_port())
        env = self.env()
        for name in services:
            log = open(self.state_dir / f"{name}.log", "ab")  # noqa: SIM115
            self.procs[name] = subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "services.cli", "serve", name],
                env=env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        for name in services:
            while True:
                if self.procs[name].poll() is not None:
                    raise RuntimeError(f"{name} exited early:\n{self.log_tail(name)}")
                try:
                    if httpx.get(self.url(name) + "/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{name} not healthy in {timeout}s:\n{self.log_tail(name)}")
                time.sleep(0.3)

    def log_tail(self, name: str, lines: int = 40) -> str:
        path = self.state_dir / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in self.state_dir.glob("*.log"))

    def stop(self, *services: str) -> None:
        names = services or tuple(self.procs)
        for name in names:
            proc = self.procs.get(name)
            if proc and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for name in names:
            proc = self.procs.pop(name, None)
            if proc:
                try:
                    proc.wait(30)
                except subprocess.TimeoutExpired:
                    proc.kill()

    def cli(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603
            [sys.executable, "-m", "services.cli", *args],
            env=self.env(),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
        )


def wait_for(predicate: Callable[[], Any], timeout: float = 60) -> Any:
    """Poll until ``predicate()`` is truthy; fail with its last result."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(0.3)
    raise AssertionError(f"condition not met within {timeout}s; last result: {last!r}")


def status(platform: Platform, reference: str, secret: str) -> httpx.Response:
    """The reporter's status lookup at feedback."""
    return httpx.post(
        platform.url("feedback") + "/api/v1/status",
        json={"reference": reference, "secret": secret},
        timeout=30,
    )


def find_routed(platform: Platform, partner: str, match: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    """The first record on a partner's topic whose value matches."""
    from contracts.topics import partner_topic

    records = read_topic(
        platform.infra.bootstrap, partner_topic(partner), lambda rs: any(match(r["value"]) for r in rs)
    )
    return next(r for r in records if match(r["value"]))


def read_topic(
    bootstrap: str,
    topic: str,
    until: Callable[[list[Any]], bool],
    *,
    timeout: float = 60,
    decode: bool = True,
) -> list[Any]:
    """Read a topic from its beginning until ``until(records)`` holds; fail with what was seen."""

    async def run() -> list[Any]:
        consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap, enable_auto_commit=False, fetch_max_wait_ms=50
        )
        await consumer.start()
        seen: list[Any] = []
        try:
            deadline = time.monotonic() + timeout
            partitions = None
            while not partitions and time.monotonic() < deadline:
                partitions = consumer.partitions_for_topic(topic)
                if not partitions:
                    await consumer._client.force_metadata_update()  # noqa: SLF001
                    await asyncio.sleep(0.2)
            if partitions:
                tps = [TopicPartition(topic, p) for p in sorted(partitions)]
                consumer.assign(tps)
                await consumer.seek_to_beginning(*tps)
                while time.monotonic() < deadline:
                    batch = await consumer.getmany(timeout_ms=300)
                    for records in batch.values():
                        for r in records:
                            seen.append(_decode(r) if decode else r)
                    if until(seen):
                        return seen
        finally:
            await consumer.stop()
        raise AssertionError(
            f"{topic}: condition not met within {timeout}s; saw {len(seen)} records: "
            f"{[str(s)[:300] for s in seen[-5:]]}"
        )

    return asyncio.run(run())


def _decode(record: Any) -> dict[str, Any]:
    return {
        "key": record.key.decode() if record.key else None,
        "headers": {k: v.decode() for k, v in record.headers},
        "value": json.loads(record.value),
        "raw": record.value,
    }


def produce(bootstrap: str, topic: str, value: bytes, *, key: str, headers: dict[str, str]) -> None:
    async def run() -> None:
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=False)
        await producer.start()
        try:
            await producer.send_and_wait(
                topic, value, key=key.encode(), headers=[(k, v.encode()) for k, v in headers.items()]
            )
        finally:
            await producer.stop()

    asyncio.run(run())
