"""The shell every service runs in: settings, logging, tracing, PostgreSQL, the broker and HTTP.

A service's ``app.py`` builds a ``Service``, registers its subscribers, routes and background tasks,
and hands it to ``serve``. Start-up: migrations, topics, broker (retried while it is unreachable, so
intake keeps accepting reports), background tasks. Shutdown: stop consuming, let in-flight handlers
finish and commit, stop background tasks, close the pool.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from faststream.kafka import KafkaMessage
from prometheus_client import make_asgi_app
from pydantic import BaseModel

from services.runtime.db import create_pool, migrate
from services.runtime.idempotency import once
from services.runtime.kafka import consume, ensure_topics, event_id_of, make_broker, parse_model
from services.runtime.logging import get_logger
from services.runtime.settings import ServiceSettings
from services.runtime.telemetry import ServiceMetrics

log = get_logger(__name__)
M = TypeVar("M", bound=BaseModel)

Background = Callable[[asyncio.Event], Coroutine[Any, Any, None]]
Hook = Callable[[], Awaitable[None]]


class Service:
    def __init__(
        self,
        settings: ServiceSettings,
        *,
        schema: str,
        migrations_dir: Path,
        topics: tuple[str, ...] | list[str] = (),
        title: str | None = None,
    ) -> None:
        self.settings = settings
        self.schema = schema
        self.migrations_dir = migrations_dir
        self.topics = list(topics)
        self.metrics = ServiceMetrics(settings.service_name)
        self.broker = make_broker(settings, self.metrics)
        self._pool: asyncpg.Pool | None = None
        self.broker_ready = asyncio.Event()
        self._background: list[Background] = []
        self._on_start: list[Hook] = []
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self.http = FastAPI(
            title=title or f"Meldpunt {settings.service_name}",
            lifespan=self._lifespan,
            openapi_url="/api/openapi.json",
            docs_url="/api/docs",
            redoc_url=None,
        )
        self.http.mount("/metrics", make_asgi_app(registry=self.metrics.registry))
        self.http.add_api_route("/healthz", self._health, methods=["GET"], include_in_schema=False)

    @property
    def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            raise RuntimeError("database pool is not started")
        return self._pool

    def background(self, task: Background) -> None:
        self._background.append(task)

    def every(self, interval_s: float, name: str, job: Hook) -> None:
        """Run ``job`` now and then every ``interval_s`` until shutdown (purges, gauges). A failed run
        is logged by error class and retried at the next interval; it never stops the service."""

        async def loop(stop: asyncio.Event) -> None:
            while not stop.is_set():
                try:
                    await job()
                except Exception as exc:  # noqa: BLE001 - retried at the next interval
                    log.warning("periodic_job_failed", job=name, error=type(exc).__name__)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=interval_s)

        self.background(loop)

    def on_start(self, hook: Hook) -> None:
        """Run after migrations and before the broker starts (load data, warm caches)."""
        self._on_start.append(hook)

    async def _health(self) -> JSONResponse:
        db_ok = False
        if self._pool is not None:
            try:
                db_ok = await self._pool.fetchval("SELECT true", timeout=2)
            except Exception:  # noqa: BLE001 - health reports, it does not raise
                db_ok = False
        body = {
            "service": self.settings.service_name,
            "database": db_ok,
            "broker": self.broker_ready.is_set(),
        }
        return JSONResponse(body, status_code=200 if db_ok and self.broker_ready.is_set() else 503)

    async def _start_broker(self) -> None:
        delay = 0.5
        while not self._stop.is_set():
            try:
                await ensure_topics(self.settings, self.topics)
                await self.broker.start()
                self.broker_ready.set()
                log.info("broker_started", bootstrap=self.settings.kafka_bootstrap)
                return
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - unreachable broker: keep serving, keep trying
                log.warning("broker_unavailable", error=type(exc).__name__, retry_in_s=delay)
                with contextlib.suppress(Exception):  # a half-started client: nothing more to do
                    await self.broker.stop()
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    @asynccontextmanager
    async def _lifespan(self, _: FastAPI) -> AsyncIterator[None]:
        self._pool = await create_pool(self.settings.database_url, max_size=self.settings.database_pool_max)
        await migrate(self._pool, self.schema, self.migrations_dir)
        for hook in self._on_start:
            await hook()
        self._tasks.append(asyncio.create_task(self._start_broker()))
        for background in self._background:
            self._tasks.append(asyncio.create_task(background(self._stop)))
        log.info("service_started", port=self.settings.http_port)
        try:
            yield
        finally:
            log.info("service_stopping")
            self._stop.set()
            # Stops the consumers first; FastStream waits for handlers in flight and commits their offsets.
            await self.broker.stop()
            for task in self._tasks:
                try:
                    await asyncio.wait_for(task, timeout=10)
                except (TimeoutError, asyncio.CancelledError):
                    task.cancel()
                except Exception as exc:  # noqa: BLE001
                    log.warning("background_task_failed", error=type(exc).__name__)
            await self._pool.close()
            log.info("service_stopped")


def wait_for_broker(service: Service) -> Callable[[], Awaitable[Any]]:
    async def _wait() -> None:
        await service.broker_ready.wait()

    return _wait


async def apply_once(
    service: Service,
    msg: KafkaMessage,
    model: type[M],
    *,
    fallback_id: Callable[[M], str],
    apply: Callable[[asyncpg.Connection, M, str], Awaitable[str]],
    decode: Callable[[bytes], bytes] | None = None,
) -> None:
    """The shape of every consumer: validate the body against its contract (bad input → dead letter),
    then apply it once — the event id commits in the same transaction as the side effect.

    ``fallback_id`` gives the deterministic id for producers that set no ``ce_id``; ``apply`` returns
    an outcome label for the service's metrics; ``decode`` opens an encrypted body first.
    """

    async def process(item: M) -> str:
        eid = event_id_of(msg, fallback_id(item))
        async with once(service.pool, service.schema, eid) as conn:
            if conn is None:
                return "duplicate"
            return await apply(conn, item, eid)

    await consume(
        msg,
        broker=service.broker,
        settings=service.settings,
        metrics=service.metrics,
        parse=lambda body: parse_model(model, decode(body) if decode else body),
        process=process,
    )
