"""``meldpunt anonymize``: JSON lines in and out, errors on stderr without content, --explain."""

from __future__ import annotations

import argparse
import io
import json

import pytest

import services.anonymizer.domain as domain
from services.anonymizer import cli
from services.anonymizer.domain import Anonymizer

GOOD = {
    "report_id": "2b0c8f8e-8f0e-4a53-9a3e-6d1b1f6c2a11",
    "received_at": "2026-06-07T05:11:10Z",
    "channel": "whatsapp",
    "channel_meta": {"sender": "+31651847290"},
    "description": "mn zoon Thijs zegt dat het stinkt bij Bolle Ger. bel me op 06-51847290",
}


@pytest.fixture
def run(anonymizer: Anonymizer, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(domain, "Anonymizer", lambda config: anonymizer)

    def _run(lines: list[str], explain: bool = False) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        monkeypatch.setattr("sys.stderr", err)
        code = cli.anonymize(argparse.Namespace(explain=explain), io.StringIO("\n".join(lines) + "\n"), out)
        return code, out.getvalue(), err.getvalue()

    return _run


def test_one_output_line_per_input_in_order(run) -> None:  # type: ignore[no-untyped-def]
    second = dict(GOOD, report_id="3b0c8f8e-8f0e-4a53-9a3e-6d1b1f6c2a11")
    code, out, _ = run([json.dumps(GOOD), json.dumps(second)])
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [r["report_id"] for r in rows] == [GOOD["report_id"], second["report_id"]]
    assert "Thijs" not in out and "51847290" not in out and "Bolle Ger" in out


def test_invalid_line_goes_to_stderr_without_content_and_processing_continues(run) -> None:  # type: ignore[no-untyped-def]
    bad = json.dumps({"report_id": "nope", "description": "Mijn naam is Geheimpje"})
    code, out, err = run([bad, json.dumps(GOOD)])
    assert code == 1 and len(out.splitlines()) == 1
    assert "line 1" in err and "invalid_raw_report" in err and "Geheimpje" not in err


def test_explain_lists_kind_rule_and_value_for_the_operator(run) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run([json.dumps(GOOD)], explain=True)
    assert code == 0 and "relative_name" in out and "relative-of-reporter" in out and "'Thijs'" in out
    assert "operator dry run" in out
