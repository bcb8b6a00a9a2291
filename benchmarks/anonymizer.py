"""Anonymizer throughput in reports per second per core, next to deduce over every text field.

Both run in one process over the same sample (the invented fixture reports), measured in CPU time.
"""

from __future__ import annotations

import logging
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

SAMPLE = Path(__file__).resolve().parents[1] / "tests" / "unit" / "anonymizer" / "fixtures" / "reports.yaml"
MIN_SECONDS = 3.0
# Keys the deduce reference leaves alone (ids, codes and attachments are not free text).
NOT_TEXT = {"report_id", "received_at", "data_base64", "category", "channel", "kind", "content_type"}


def sample_reports() -> list[dict[str, Any]]:
    cases = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    reports = []
    for i, case in enumerate(cases):
        raw = dict(case["raw"])
        raw["report_id"] = str(uuid.UUID(int=i + 1, version=4))
        reports.append(raw)
    return reports


def per_core_rate(
    work: Callable[[dict[str, Any]], object], reports: list[dict[str, Any]]
) -> tuple[float, int]:
    """Reports per CPU-second of this (single-threaded) process, after one warm-up pass."""
    for report in reports:
        work(report)
    done, started = 0, time.process_time()
    while time.process_time() - started < MIN_SECONDS:
        for report in reports:
            work(report)
        done += len(reports)
    return done / (time.process_time() - started), done


def main() -> int:
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    from contracts.events import RawReport
    from services.anonymizer.domain import Anonymizer, AnonymizerConfig

    started = time.monotonic()
    anonymizer = Anonymizer(AnonymizerConfig())
    print(f"deduce loaded once in {time.monotonic() - started:.1f} s")
    reports = sample_reports()
    deduce = anonymizer.deduce

    def anonymize(report: dict[str, Any]) -> object:
        return anonymizer.anonymize(RawReport.model_validate(report))

    def clean(obj: Any, key: str | None = None) -> Any:
        if isinstance(obj, str) and key not in NOT_TEXT:
            return deduce.deidentify(obj).deidentified_text
        if isinstance(obj, dict):
            return {k: clean(v, k) for k, v in obj.items() if k not in ("reporter", "channel_meta")}
        if isinstance(obj, list):
            return [clean(v, key) for v in obj]
        return obj

    ours, n_ours = per_core_rate(anonymize, reports)
    ref, n_ref = per_core_rate(clean, reports)
    print(f"sample: {len(reports)} invented reports (tests/unit/anonymizer/fixtures), CPU time, one core")
    print(f"anonymizer (Anonymizer.anonymize)        {ours:8.1f} reports/s/core  ({n_ours} reports)")
    print(f"reference (deduce over every text field) {ref:8.1f} reports/s/core  ({n_ref} reports)")
    print(f"ratio anonymizer/reference               {ours / ref:8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
