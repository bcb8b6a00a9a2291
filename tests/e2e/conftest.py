"""The running platform the end-to-end tests share: all five services as processes on the test
infrastructure, started once per session (the anonymizer's name lists take a while to load)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest

from services.runtime.embedded import free_port
from tests.support.infra import Infra
from tests.support.platform import Platform

SUPPLEMENT_TOKEN = secrets.token_urlsafe(32)


@pytest.fixture(scope="session")
def platform(infra: Infra, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    p = Platform(infra, tmp_path_factory.mktemp("platform"), infra.new_database())
    # Intake's port is fixed before start, so that feedback can be told where intake listens.
    p.ports["intake"] = free_port()
    p.extra_env.update(
        {
            # Small test volumes: show every count.
            "MELDPUNT_METRICS_K_THRESHOLD": "1",
            "MELDPUNT_INTAKE_SUPPLEMENT_TOKEN": SUPPLEMENT_TOKEN,
            "MELDPUNT_FEEDBACK_SUPPLEMENT_TOKEN": SUPPLEMENT_TOKEN,
            "MELDPUNT_FEEDBACK_INTAKE_URL": p.url("intake"),
        }
    )
    try:
        p.start("intake", "anonymizer", "router", "feedback", "metrics", timeout=240)
        yield p
    finally:
        p.stop()
