"""``meldpunt anonymize`` (raw JSON lines in, AnonymizedReport lines out) and ``meldpunt cache``.

Errors go to stderr as a line number and a reason code, never with report content.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Iterable
from typing import TextIO

from services.anonymizer.detectors.base import LABELS

EXPLAIN_NOTE = (
    "# --explain is an operator dry run over the operator's own input: it prints the removed values so\n"
    "# the operator can check them. Never run it on production traffic or pipe it into a log.\n"
)


def _config() -> object:
    from services.anonymizer.domain import AnonymizerConfig, default_cache_path

    threshold = os.environ.get("MELDPUNT_ANONYMIZER_REVIEW_THRESHOLD")
    granularity = os.environ.get("MELDPUNT_ANONYMIZER_TIME_GRANULARITY", "hour")
    return AnonymizerConfig(
        cache_path=default_cache_path(),
        review_threshold=float(threshold) if threshold else 0.7,
        time_granularity=granularity,  # type: ignore[arg-type]
    )


def anonymize(args: argparse.Namespace, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """Anonymize raw reports from stdin, one JSON line each; the deduce model is loaded once."""
    # Logging goes to stderr before deduce is imported, so nothing can reach the JSON on stdout.
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    from services.anonymizer.domain import Anonymizer, AnonymizerError, ReportNotProcessable, parse_raw_report

    inp, out = stdin or sys.stdin, stdout or sys.stdout
    try:
        anonymizer = Anonymizer(_config())  # type: ignore[arg-type]
    except AnonymizerError as exc:
        print(f"meldpunt anonymize: {exc}", file=sys.stderr)
        return 2
    explain = bool(getattr(args, "explain", False))
    if explain:
        out.write(EXPLAIN_NOTE)
    failures = 0
    for lineno, line in _lines(inp):
        try:
            raw = parse_raw_report(line)
            result = anonymizer.process(raw)
        except ReportNotProcessable as exc:
            failures += 1
            print(f"line {lineno}: {exc.reason_code}", file=sys.stderr)
            continue
        if explain:
            out.write(_explanation(lineno, result))
        else:
            out.write(result.report.model_dump_json() + "\n")
        out.flush()
    return 1 if failures else 0


def _lines(inp: TextIO) -> Iterable[tuple[int, str]]:
    for lineno, line in enumerate(inp, start=1):
        if line.strip():
            yield lineno, line


def _explanation(lineno: int, result: object) -> str:
    from services.anonymizer.domain import AnonymizationResult

    assert isinstance(result, AnonymizationResult)
    rep = result.report
    rows = [
        f"== report {rep.report_id} (line {lineno}, channel {rep.channel})",
        f"   dropped fields: {', '.join(rep.redactions.dropped_fields)}",
        f"   received_period: {rep.received_period}",
    ]
    if not result.findings:
        rows.append("   nothing removed from the text")
    for f in result.findings:
        rows.append(
            f"   - {f.field}: {f.kind} {LABELS.get(f.kind, '')} by {f.detector}/{f.rule}: {f.value!r}"
        )
    for i, att in enumerate(rep.attachments, start=1):
        rows.append(
            f"   attachment {i}: {att.filename} re-encoded, metadata removed: "
            f"{', '.join(att.removed_metadata) or 'none'}"
        )
    if rep.redactions.attachments_removed:
        rows.append(f"   attachments not forwarded: {rep.redactions.attachments_removed}")
    rows.append(f"   risk {rep.risk.score:.2f}{' -> REVIEW' if rep.risk.review else ''}")
    rows += [f"     * {r}" for r in rep.risk.reasons]
    return "\n".join(rows) + "\n"


def build_cache(args: argparse.Namespace) -> int:
    """Build deduce's lookup structures once into the project's cache folder (about two minutes)."""
    logging.basicConfig(stream=sys.stderr, level=logging.INFO)
    from services.anonymizer.domain import CACHE_FILE, default_cache_path, load_deduce

    path = default_cache_path()
    if (path / CACHE_FILE).exists():
        print(f"deduce cache present: {path / CACHE_FILE}", file=sys.stderr)
        return 0
    path.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    load_deduce(path, build=True)
    print(f"deduce cache built in {time.monotonic() - started:.0f} s: {path / CACHE_FILE}", file=sys.stderr)
    return 0
