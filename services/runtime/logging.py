"""structlog JSON logging, set up once per process. Reporter data never goes into a log event."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import MutableMapping
from typing import Any

import structlog

# Keys that must never carry values into a log line, whatever a caller passes by mistake.
_FORBIDDEN_KEYS = frozenset(
    {
        "reporter",
        "channel_meta",
        "description",
        "ip",
        "client_ip",
        "user_agent",
        "cookie",
        "secret",
        "email",
        "phone",
    }
)


def _scrub(_: Any, __: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    for key in list(event_dict):
        if key.lower() in _FORBIDDEN_KEYS:
            event_dict[key] = "[removed]"
    return event_dict


def _safe_exc_info(_: Any, __: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """Render an exception as its class and stack only. Exception messages may quote what was being
    processed (a validation error echoes its input, a database error the conflicting key), so no
    message of any library's exception reaches a log line."""
    exc_info = event_dict.pop("exc_info", None)
    if exc_info is True:
        exc_info = sys.exc_info()
    elif isinstance(exc_info, BaseException):
        exc_info = (type(exc_info), exc_info, exc_info.__traceback__)
    if isinstance(exc_info, tuple) and exc_info[0] is not None:
        frames = traceback.extract_tb(exc_info[2])
        event_dict["exception"] = exc_info[0].__name__
        event_dict["stack"] = [f"{f.filename}:{f.lineno} in {f.name}" for f in frames[-8:]]
    return event_dict


def configure_logging(service: str, level: str = "INFO") -> None:
    # Library log records (uvicorn, aiokafka) are rendered as JSON lines like our own.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                _safe_exc_info,
                _scrub,
                structlog.processors.JSONRenderer(),
            ],
            foreign_pre_chain=[
                structlog.processors.add_log_level,
                structlog.processors.TimeStamper(fmt="iso", utc=True),
                structlog.stdlib.add_logger_name,
            ],
        )
    )
    logging.basicConfig(handlers=[handler], level=level.upper(), force=True)
    # Access logs carry client addresses: intake promises never to log them.
    logging.getLogger("uvicorn.access").disabled = True
    for noisy in ("aiokafka", "httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            _scrub,
            _safe_exc_info,
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=True,
    )
    structlog.contextvars.bind_contextvars(service=service)


def get_logger(name: str | None = None) -> Any:
    return structlog.get_logger(name)
