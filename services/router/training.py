"""The labelled report texts the router's learned classifier is trained on, rebuilt from their sources.

Every text was invented by the project (hand-written test reports and the development half of the
held-out set); none is a real report. ``build_training_set()`` regenerates
``services/router/data/training/*.jsonl`` — one file per source, lines ``{"text": ..., "category": ...}``
— so the shipped data can always be traced back to where it came from (``data/README.md``).

Never add ``tests/fixtures/heldout/b-*`` / ``c-*`` or anything from ``../shared`` here: those sets are
held out for honest evaluation.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

from services.router.classify import normalise

ROOT = Path(__file__).resolve().parents[2]
TRAINING_DIR = Path(__file__).resolve().parent / "data" / "training"
HANDWRITTEN_DIR = ROOT / "tests" / "unit" / "router" / "data"
SAMPLE_REPORTS = Path(__file__).resolve().parent / "data" / "sample-reports.jsonl"
HELDOUT_DIR = ROOT / "tests" / "fixtures" / "heldout"
# The only held-out set that may be trained on: A is for development (its README); B and C are not.
HELDOUT_TRAINABLE = ("a",)


def _handwritten(path: Path) -> Iterator[tuple[str, str]]:
    for case in yaml.safe_load(path.read_text(encoding="utf-8"))["reports"]:
        yield case["text"], case["category"]


def _sample_reports(path: Path) -> Iterator[tuple[str, str]]:
    # AnonymizedReports: the text as the router assembles it (domain._report_text), labelled ones only.
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            if r.get("category"):
                yield _router_text(r), r["category"]


def _heldout(reports: Path, labels: Path) -> Iterator[tuple[str, str]]:
    expected = {}
    for line in labels.read_text(encoding="utf-8").splitlines():
        if line.strip():
            lab = json.loads(line)
            expected[lab["report_id"]] = lab
    for line in reports.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        raw = json.loads(line)
        lab = expected[raw["report_id"]]
        text = _router_text(raw)
        # What the anonymizer removes never reaches the router: drop the reporter's identifiers, so
        # the model does not learn a name or a phone number as evidence.
        for item in sorted(lab.get("must_not_leak", []), key=lambda i: -len(i["value"])):
            text = text.replace(item["value"], " ")
        yield re.sub(r"[ \t]{2,}", " ", text), lab["expected"]["category"]


def _router_text(r: dict[str, Any]) -> str:
    """description + occurred + location description + subjects' descriptions, as the router reads."""
    parts = [r.get("description") or ""]
    incident = r.get("incident") or {}
    parts.append(incident.get("occurred") or "")
    parts.append((incident.get("location") or {}).get("description") or "")
    parts += [(s or {}).get("description") or "" for s in r.get("subjects") or []]
    return "\n".join(p for p in parts if p)


def sources() -> list[tuple[str, Iterator[tuple[str, str]]]]:
    """(training file name, (text, category) pairs) per source, in a fixed order."""
    out: list[tuple[str, Iterator[tuple[str, str]]]] = []
    for path in sorted(HANDWRITTEN_DIR.glob("handwritten-reports*.yaml")):
        out.append((path.stem, _handwritten(path)))
    out.append(("sample-reports", _sample_reports(SAMPLE_REPORTS)))
    for name in HELDOUT_TRAINABLE:
        out.append(
            (
                f"heldout-{name}",
                _heldout(HELDOUT_DIR / f"{name}-reports.jsonl", HELDOUT_DIR / f"{name}-labels.jsonl"),
            )
        )
    return out


def build_training_set(out_dir: Path | None = None) -> dict[str, int]:
    """Regenerate the training JSONL files; returns the number of texts written per file.

    A text already taken from an earlier source is not repeated (sample-reports.jsonl is made of the
    hand-written reports), so leave-one-source-out evaluation never sees a held-out text in training.
    """
    out_dir = out_dir or TRAINING_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.jsonl"):
        old.unlink()
    seen: set[str] = set()
    counts: dict[str, int] = {}
    for name, pairs in sources():
        lines = []
        for text, category in pairs:
            key = " ".join(normalise(text))
            if not key or key in seen:
                continue
            seen.add(key)
            lines.append(json.dumps({"text": text, "category": category}, ensure_ascii=False))
        counts[name] = len(lines)
        if lines:
            (out_dir / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return counts


def load_training_set(files: Iterable[Path] | None = None) -> list[tuple[str, str, str]]:
    """(text, category, source file stem) for every line of the training files, in file order."""
    paths = sorted(files) if files is not None else sorted(TRAINING_DIR.glob("*.jsonl"))
    rows = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                rows.append((item["text"], item["category"], path.stem))
    return rows


if __name__ == "__main__":
    for source, n in build_training_set().items():
        print(f"{source}: {n}")
