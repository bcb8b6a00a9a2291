"""One Anonymizer per test session: loading deduce's lookups takes about ten seconds."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from contracts.events import RawReport
from services.anonymizer.domain import CACHE_FILE, Anonymizer, AnonymizerConfig, default_cache_path


@pytest.fixture(scope="session")
def anonymizer() -> Anonymizer:
    if not (default_cache_path() / CACHE_FILE).exists():
        pytest.skip("deduce cache not built: run `meldpunt cache` (make install does)")
    return Anonymizer(AnonymizerConfig())


def make_raw(description: str, **fields: Any) -> RawReport:
    data: dict[str, Any] = {
        "report_id": str(uuid.uuid4()),
        "received_at": datetime(2026, 6, 7, 5, 11, 10, tzinfo=UTC),
        "description": description,
    }
    data.update(fields)
    return RawReport.model_validate(data)
