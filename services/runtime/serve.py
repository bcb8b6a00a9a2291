"""``meldpunt serve <service>``: run one service in the foreground until SIGTERM or Ctrl-C."""

from __future__ import annotations

import argparse
import importlib

import uvicorn

from services.runtime.logging import configure_logging
from services.runtime.telemetry import configure_tracing


def main(args: argparse.Namespace) -> int:
    name: str = args.service
    settings = importlib.import_module(f"services.{name}.settings").Settings()
    configure_logging(name, settings.log_level)
    configure_tracing(settings)
    service = importlib.import_module(f"services.{name}.app").build(settings)
    uvicorn.run(
        service.http,
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        access_log=False,  # client addresses must never be logged
        server_header=False,
        proxy_headers=False,
        timeout_graceful_shutdown=15,
    )
    return 0
