"""The ``meldpunt`` command: runs the platform, the services and the operator and partner tools.

Each sub-command imports its module only when used, so ``meldpunt route`` does not pay for deduce.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

SERVICES = ("intake", "anonymizer", "router", "feedback", "metrics")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="meldpunt", description="Meldpunt: anonymous reporting line.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    up = sub.add_parser("up", help="start the embedded broker, PostgreSQL and all five services")
    up.set_defaults(handler="services.runtime.stack:main")

    serve = sub.add_parser("serve", help="run one service in the foreground (what `up` and containers run)")
    serve.add_argument("service", choices=SERVICES)
    serve.set_defaults(handler="services.runtime.serve:main")

    anon = sub.add_parser(
        "anonymize", help="raw reports (JSON lines, stdin) -> AnonymizedReport lines (stdout)"
    )
    anon.add_argument("--explain", action="store_true", help="print what was removed and why, per report")
    anon.set_defaults(handler="services.anonymizer.cli:anonymize")

    route = sub.add_parser("route", help="AnonymizedReport lines (stdin) -> RoutingDecision lines (stdout)")
    route.add_argument("--explain", action="store_true", help="print why each report went where it went")
    route.add_argument("--rules", help="rule-set file (default: the shipped policy v1)")
    route.set_defaults(handler="services.router.cli:route")

    rules = sub.add_parser("rules", help="validate and compare routing rule sets")
    rules_sub = rules.add_subparsers(dest="rules_command", required=True)
    check = rules_sub.add_parser("check", help="validate a rule-set file")
    check.add_argument("file")
    check.set_defaults(handler="services.router.cli:rules_check")
    diff = rules_sub.add_parser("diff", help="route a sample through two rule sets and show what changes")
    diff.add_argument("old")
    diff.add_argument("new")
    diff.add_argument("--sample", help="AnonymizedReport JSON lines (default: the shipped sample)")
    diff.set_defaults(handler="services.router.cli:rules_diff")

    triage = sub.add_parser("triage", help="the operators' queue of reports waiting for a person")
    triage_sub = triage.add_subparsers(dest="triage_command", required=True)
    tl = triage_sub.add_parser("list", help="list reports waiting in triage")
    tl.set_defaults(handler="services.router.triage:list_cmd")
    ta = triage_sub.add_parser("assign", help="release a triaged report to a partner")
    ta.add_argument("report_id")
    ta.add_argument("partner_id")
    ta.set_defaults(handler="services.router.triage:assign_cmd")

    partner = sub.add_parser("partner", help="tools for a partner agency")
    partner_sub = partner.add_subparsers(dest="partner_command", required=True)
    listen = partner_sub.add_parser(
        "listen", help="print a partner's routed reports as JSON lines and follow"
    )
    listen.add_argument("partner_id")
    listen.add_argument("--no-follow", action="store_true", help="stop when the topic is read to its end")
    listen.set_defaults(handler="services.runtime.partner:listen")
    outcome = partner_sub.add_parser("outcome", help="publish an outcome event as a partner")
    outcome.add_argument("partner_id")
    outcome.add_argument("report_id")
    outcome.add_argument("status")
    outcome.add_argument("--message", help="text shown to the reporter (a question when status=question)")
    outcome.set_defaults(handler="services.runtime.partner:outcome")

    contracts = sub.add_parser("contracts", help="regenerate the JSON Schemas and AsyncAPI document")
    contracts.add_argument("--check", action="store_true", help="fail when the committed files are stale")
    contracts.set_defaults(handler="contracts.generate:main")

    keys = sub.add_parser("keys", help="make a deployment's key files (anonymizer key pair, location key)")
    keys.add_argument("--out", default="deploy/secrets", help="folder to write them to")
    keys.set_defaults(handler="services.runtime.crypto:keys_main")

    cache = sub.add_parser("cache", help="build slow caches once (the deduce lookup structures)")
    cache.set_defaults(handler="services.anonymizer.cli:build_cache")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    module_name, func_name = args.handler.split(":")
    func = getattr(importlib.import_module(module_name), func_name)
    try:
        return int(func(args) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
