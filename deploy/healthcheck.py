#!/opt/venv/bin/python
"""Container health check: GET /healthz of the Meldpunt service this container runs.

Usage: ``meldpunt-healthcheck [SERVICE]``. Without an argument the service is read from the
container's command line (``meldpunt serve <service>``); its port comes from its own settings, so an
overridden ``MELDPUNT_<SERVICE>_HTTP_PORT`` is honoured. Exit 0 when healthy, 1 otherwise.
"""

from __future__ import annotations

import importlib
import sys
import urllib.error
import urllib.request
from pathlib import Path

SERVICES = ("intake", "anonymizer", "router", "feedback", "metrics")


def served_service() -> str | None:
    """The service named by PID 1's command line, e.g. ``python /opt/venv/bin/meldpunt serve intake``."""
    try:
        argv = Path("/proc/1/cmdline").read_bytes().decode().split("\0")
    except OSError:
        return None
    for i, arg in enumerate(argv[:-1]):
        if arg == "serve" and argv[i + 1] in SERVICES:
            return argv[i + 1]
    return None


def main(argv: list[str]) -> int:
    service = argv[0] if argv else served_service()
    if service is None:
        print("not running `meldpunt serve <service>`: nothing to check")
        return 0
    if service not in SERVICES:
        print(f"unknown service {service!r}", file=sys.stderr)
        return 1
    port = importlib.import_module(f"services.{service}.settings").Settings().http_port
    url = f"http://127.0.0.1:{port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=4) as response:  # noqa: S310 - fixed local http URL
            print(response.read().decode(errors="replace"))
            return 0 if response.status == 200 else 1
    except urllib.error.HTTPError as exc:  # 503 with the body saying what is not ready
        print(exc.read().decode(errors="replace"), file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"{url}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
