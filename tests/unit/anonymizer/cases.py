"""Loads the labelled fixture reports and checks an output the way an attacker reads it."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any

import yaml

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "reports.yaml"
DIGIT_RUNS = re.compile(r"[+(]?\d[\d\s().\-/]{5,}\d")
NAMESPACE = uuid.UUID("0d9c8f0e-4b55-4d5e-9a8e-1f0a3c2b7d61")


def load_cases() -> list[dict[str, Any]]:
    cases = yaml.safe_load(FIXTURES.read_text(encoding="utf-8"))
    for case in cases:
        raw = case["raw"]
        raw.setdefault("report_id", str(uuid.uuid5(NAMESPACE, case["id"])))
        raw.setdefault("kind", "report")
        raw.setdefault("channel_meta", {})
        case["leak"] = [tuple(x) for x in case.get("leak", [])] + [("timestamp", raw["received_at"][11:19])]
        case["keep"] = [tuple(x) for x in case.get("keep", [])]
    return cases


def _phone_core(digits: str) -> str:
    for prefix in ("0031", "31", "0"):
        if digits.startswith(prefix) and len(digits) - len(prefix) >= 8:
            return digits[len(prefix) :]
    return digits


def occurs(kind: str, value: str, output: dict[str, Any]) -> bool:
    """Whether ``value`` can still be read anywhere in the serialised output."""
    text = json.dumps(output, ensure_ascii=False)
    if kind in ("phone", "bsn"):
        digits = re.sub(r"\D", "", value)
        core = _phone_core(digits) if kind == "phone" else digits
        runs = [re.sub(r"\D", "", m.group()) for m in DIGIT_RUNS.finditer(text)]
        return any(core in run for run in runs)
    if kind in ("iban", "plate"):
        return re.sub(r"[^A-Z0-9]", "", value.upper()) in re.sub(r"[\s\-.]", "", text.upper())
    if kind == "timestamp":
        return value[:5] in text
    norm = lambda s: re.sub(r"\s+", " ", s).strip().lower()  # noqa: E731
    return norm(value) in norm(text)
