"""`meldpunt route`: JSON lines in and out, bad lines named by number without content, --explain."""

from __future__ import annotations

import argparse
import io
import json

from contracts.events import RoutingDecision
from services.router.cli import route, triage_assign, triage_list
from tests.unit.router.helpers import report


def _run(lines: list[str], explain: bool = False) -> tuple[int, list[dict], str]:  # type: ignore[type-arg]
    out, err = io.StringIO(), io.StringIO()
    code = route(
        argparse.Namespace(explain=explain, rules=None), io.StringIO("\n".join(lines) + "\n"), out, err
    )
    return code, [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def test_route_writes_one_decision_per_valid_line_and_names_bad_lines() -> None:
    good = report("In Almelo wordt coke verkocht vanuit een auto.", city="Almelo")
    bad = '{"description": "GEHEIME INHOUD van de melder", "report_id": "not-a-uuid"}'
    code, decisions, err = _run([good.model_dump_json(), "{not json", bad, "", good.model_dump_json()])
    assert code == 0
    assert len(decisions) == 2
    d = RoutingDecision.model_validate(decisions[0])
    assert d.report_id == good.report_id and d.lead_partner == "politie"
    assert d.ruleset_version and d.rule_ids
    assert "line 2: invalid_json" in err
    assert "line 3: invalid_report" in err
    assert "GEHEIME" not in err and "melder" not in err


def test_explain_prints_why_on_stderr_and_keeps_stdout_json() -> None:
    r = report("Wietplantage op zolder.", category="ondermijning.drugs.hennepkwekerij", city="Vroomshoop")
    code, decisions, err = _run([r.model_dump_json()], explain=True)
    assert code == 0 and len(decisions) == 1
    assert "lead politie" in err and "cat.hennepkwekerij" in err and "Twenterand" in err


def test_bad_rules_file_is_reported(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "r.yaml"
    bad.write_text("name: x\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert route(argparse.Namespace(explain=False, rules=str(bad)), io.StringIO(""), out, err) == 2
    assert "rule set not usable" in err.getvalue()


def test_triage_commands_need_the_platform(capsys) -> None:  # type: ignore[no-untyped-def]
    assert triage_list(argparse.Namespace()) == 2
    assert triage_assign(argparse.Namespace(report_id="x", partner_id="politie")) == 2
    assert "needs the running platform" in capsys.readouterr().err
