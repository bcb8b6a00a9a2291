"""Operator commands over the router's pure logic: ``route``, ``rules check``, ``rules diff`` (no broker/DB).

Report content never reaches stderr: invalid input is reported by line number and reason code only.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from pydantic import ValidationError

from contracts.events import AnonymizedReport, RoutingDecision
from services.router.classify import LexiconError
from services.router.domain import decide_route
from services.router.geo import Gazetteer, GeoDataError
from services.router.rules import DATA_DIR, RuleSet, RuleSetError, load_ruleset

SAMPLE_REPORTS = DATA_DIR / "sample-reports.jsonl"


def read_reports(lines: Iterable[str], err: TextIO) -> Iterator[AnonymizedReport]:
    """Parse AnonymizedReport JSON lines; a bad line is named on ``err`` by number and reason only."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError:
            print(f"line {number}: invalid_json", file=err)
            continue
        try:
            yield AnonymizedReport.model_validate(data)
        except ValidationError as exc:
            # Field paths and error types only: the values are report content.
            where = sorted({".".join(str(p) for p in e["loc"]) or "(top)" for e in exc.errors()})
            print(
                f"line {number}: invalid_report ({len(exc.errors())} errors at {', '.join(where[:5])})",
                file=err,
            )


def _load(rules_file: str | None, err: TextIO) -> tuple[RuleSet, Gazetteer] | None:
    try:
        return load_ruleset(Path(rules_file) if rules_file else None), Gazetteer.load()
    except RuleSetError as exc:
        print(f"rule set not usable: {exc.source}", file=err)
        for problem in exc.problems:
            print(f"  - {problem}", file=err)
    except (GeoDataError, LexiconError) as exc:
        print(f"router data not usable: {exc}", file=err)
    return None


def route(
    args: argparse.Namespace,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """AnonymizedReport JSON lines in, one RoutingDecision JSON line out per valid input."""
    inp, out, err = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    loaded = _load(getattr(args, "rules", None), err)
    if loaded is None:
        return 2
    rules, gazetteer = loaded
    explain = bool(getattr(args, "explain", False))
    for report in read_reports(inp, err):
        decision = decide_route(report, rules, gazetteer)
        out.write(decision.model_dump_json() + "\n")
        out.flush()
        if explain:
            # stdout stays JSON lines for pipes; the reasons go to the terminal.
            print(_explanation(decision), file=err)
    return 0


def _explanation(d: RoutingDecision) -> str:
    head = (
        f"report {d.report_id}: lead {d.lead_partner}, partners {', '.join(d.partners)}, "
        f"priority {d.priority}, category {d.category or '-'}"
        + (
            f" ({d.category_source}, confidence {d.category_confidence:.2f})"
            if d.category_confidence is not None
            else f" ({d.category_source})"
        )
    )
    body = "\n".join("  " + line for line in d.explanation.splitlines())
    return f"{head}\n  rules: {', '.join(d.rule_ids)}\n{body}"


def rules_check(args: argparse.Namespace, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Validate a rule-set file the way the router does at start-up."""
    out, err = stdout or sys.stdout, stderr or sys.stderr
    try:
        rules = load_ruleset(Path(args.file))
    except RuleSetError as exc:
        print(f"{exc.source}: {len(exc.problems)} problem(s)", file=err)
        for problem in exc.problems:
            print(f"  - {problem}", file=err)
        return 1
    categories = len(rules.routes)
    print(
        f"{args.file}: OK, {rules.name} {rules.version}: "
        f"{len(rules.spec.categories)} category rules covering "
        f"{categories} categories, {len(rules.spec.inform)} inform rule(s), "
        f"{len(rules.partners.partners)} partners",
        file=out,
    )
    for warning in rules.warnings:
        print(f"  warning: {warning}", file=out)
    return 0


def rules_diff(args: argparse.Namespace, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Route a sample through two rule sets and show every report whose routing would change."""
    out, err = stdout or sys.stdout, stderr or sys.stderr
    old, new = _load(args.old, err), _load(args.new, err)
    if old is None or new is None:
        return 2
    sample = Path(args.sample) if getattr(args, "sample", None) else SAMPLE_REPORTS
    try:
        with sample.open(encoding="utf-8") as f:
            reports = list(read_reports(f, err))
    except OSError as exc:
        print(f"cannot read sample {sample}: {exc.strerror or exc}", file=err)
        return 2
    changed = 0
    counts: dict[str, int] = {}
    for report in reports:
        a = decide_route(report, old[0], old[1])
        b = decide_route(report, new[0], new[1])
        changes = _changes(a, b)
        if not changes:
            continue
        changed += 1
        for field in changes:
            counts[field] = counts.get(field, 0) + 1
        print(f"{report.report_id}:", file=out)
        for field, (before, after) in changes.items():
            print(f"  {field}: {before} -> {after}", file=out)
        print(f"  rules: {', '.join(a.rule_ids)} -> {', '.join(b.rule_ids)}", file=out)
    summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "nothing"
    print(
        f"{old[0].version} -> {new[0].version}: {changed} of {len(reports)} reports would route "
        f"differently ({summary})",
        file=out,
    )
    return 0


def _changes(a: RoutingDecision, b: RoutingDecision) -> dict[str, tuple[object, object]]:
    fields = ("lead_partner", "partners", "legal_domains", "category", "priority", "municipality", "review")
    return {f: (getattr(a, f), getattr(b, f)) for f in fields if getattr(a, f) != getattr(b, f)}


def triage_list(args: argparse.Namespace) -> int:
    print(
        "meldpunt triage list needs the running platform (the router's triage store); start it with "
        "`meldpunt up`",
        file=sys.stderr,
    )
    return 2


def triage_assign(args: argparse.Namespace) -> int:
    print(
        "meldpunt triage assign needs the running platform (the router's triage store); start it with "
        "`meldpunt up`",
        file=sys.stderr,
    )
    return 2
