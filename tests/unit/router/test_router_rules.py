"""Rule-set and partner-registry loading: the shipped files are valid, broken ones fail with clear errors."""

from __future__ import annotations

import argparse
import io
import shutil
from pathlib import Path

import pytest
import yaml

from services.router.cli import rules_check, rules_diff
from services.router.rules import DEFAULT_RULES, RuleSetError, load_partners, load_ruleset
from tests.unit.router.helpers import DATA, rules


def _write_rules(tmp_path: Path, mutate) -> Path:  # type: ignore[no-untyped-def]
    spec = yaml.safe_load(DEFAULT_RULES.read_text(encoding="utf-8"))
    mutate(spec)
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _problems(path: Path) -> str:
    with pytest.raises(RuleSetError) as exc:
        load_ruleset(path)
    return "\n".join(exc.value.problems)


def test_shipped_rule_set_is_valid_and_versioned_by_content() -> None:
    rs = rules()
    assert rs.version.startswith("v1-") and len(rs.version) == 15
    assert len(rs.routes) == len(rs.taxonomy.codes()) == 22
    assert rs.warnings == ()


def test_version_changes_when_the_content_changes(tmp_path: Path) -> None:
    same = _write_rules(tmp_path, lambda s: None)
    other = tmp_path / "other.yaml"
    other.write_text(same.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    assert load_ruleset(same).version != load_ruleset(other).version
    assert load_ruleset(same).version == load_ruleset(same).version


def test_unknown_partner_is_named(tmp_path: Path) -> None:
    path = _write_rules(tmp_path, lambda s: s["domains"]["fiscaal"].update(lead="fiod"))
    assert "domain 'fiscaal': unknown partner 'fiod'" in _problems(path)


def test_unknown_category_is_named(tmp_path: Path) -> None:
    def mutate(s: dict) -> None:  # type: ignore[type-arg]
        s["categories"].append(
            {"id": "cat.nieuw", "match": ["ondermijning.cybercrime"], "domains": ["strafrecht"]}
        )

    assert "rule 'cat.nieuw': unknown category 'ondermijning.cybercrime'" in _problems(
        _write_rules(tmp_path, mutate)
    )


def test_rule_shadowed_by_an_earlier_rule_is_unreachable(tmp_path: Path) -> None:
    def mutate(s: dict) -> None:  # type: ignore[type-arg]
        s["categories"].insert(
            0, {"id": "cat.alles-misdaad", "match": ["misdaad.*"], "domains": ["strafrecht"]}
        )
        s["categories"].insert(
            1, {"id": "cat.geweld-apart", "match": ["misdaad.geweld"], "domains": ["strafrecht"]}
        )

    problems = _problems(_write_rules(tmp_path, mutate))
    assert "rule 'cat.geweld-apart': unreachable" in problems
    assert "rule 'cat.misdaad': unreachable" in problems


def test_inform_rule_that_can_never_fire_is_unreachable(tmp_path: Path) -> None:
    path = _write_rules(tmp_path, lambda s: s["inform"][0]["when"].update(min_domains=3))
    assert "inform rule 'riec.ondermijning-meerdere-domeinen': unreachable" in _problems(path)


def test_category_without_rule_is_reported(tmp_path: Path) -> None:
    path = _write_rules(tmp_path, lambda s: s["categories"].pop())
    assert "category 'sociale-veiligheid.huiselijk-geweld' has no rule" in _problems(path)


def test_informed_only_partner_cannot_lead(tmp_path: Path) -> None:
    path = _write_rules(tmp_path, lambda s: s["domains"]["expertise"].update(lead="riec"))
    assert "partner 'riec' is informed only and cannot lead" in _problems(path)


def test_unknown_domain_and_missing_care_partner(tmp_path: Path) -> None:
    def mutate(s: dict) -> None:  # type: ignore[type-arg]
        s["categories"][0]["domains"] = ["strafrecht", "milieurecht"]
        s["categories"][-1]["domains"] = ["zorg"]

    problems = _problems(_write_rules(tmp_path, mutate))
    assert "unknown legal domain 'milieurecht'" in problems
    assert "domain 'zorg' needs a partner named in the rule" in problems


def test_schema_errors_name_the_field(tmp_path: Path) -> None:
    path = _write_rules(tmp_path, lambda s: s["triage"].update(min_confidence=2))
    assert "triage.min_confidence" in _problems(path)
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed", encoding="utf-8")
    assert "not valid YAML" in _problems(bad)
    assert "cannot read" in _problems(tmp_path / "missing.yaml")


def test_partner_registry_has_fixed_partners_and_every_municipality() -> None:
    reg = load_partners()
    fixed = {"politie", "om", "belastingdienst", "goc", "riec", "adv", "csg", "veilig-thuis", "triage"}
    assert fixed <= set(reg.partners)
    gemeenten = [p for p in reg.partners.values() if p.kind == "municipality"]
    assert len(gemeenten) == 342
    assert reg["gemeente-twenterand"].topic == "meldpunt.partner.gemeente-twenterand.v1"
    assert reg["gemeente-s-gravenhage"].municipality == "'s-Gravenhage"
    assert not reg["riec"].can_lead
    assert len(reg.topics()) == len(reg.partners)


def test_partner_file_with_unknown_field_is_rejected(tmp_path: Path) -> None:
    shutil.copytree(DEFAULT_RULES.parent / "nl-geo", tmp_path / "nl-geo")
    spec = yaml.safe_load((DEFAULT_RULES.parent / "partners.yaml").read_text(encoding="utf-8"))
    spec["partners"][0]["fields"].append("reporter")
    path = tmp_path / "partners.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    with pytest.raises(RuleSetError, match="unknown report fields"):
        load_partners(path)


def test_rules_check_command_reports_ok_and_problems(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert rules_check(argparse.Namespace(file=str(DEFAULT_RULES)), out, err) == 0
    assert "OK" in out.getvalue() and rules().version in out.getvalue()
    broken = _write_rules(tmp_path, lambda s: s["domains"]["fiscaal"].update(lead="fiod"))
    out, err = io.StringIO(), io.StringIO()
    assert rules_check(argparse.Namespace(file=str(broken)), out, err) == 1
    assert "unknown partner 'fiod'" in err.getvalue()


def test_rules_diff_shows_what_would_change(tmp_path: Path) -> None:
    # Policy change: straatintimidatie to the police instead of the gemeente.
    def mutate(s: dict) -> None:  # type: ignore[type-arg]
        s["categories"][6]["match"].remove("sociale-veiligheid.straatintimidatie")
        s["categories"].insert(
            0,
            {
                "id": "cat.straatintimidatie-politie",
                "match": ["sociale-veiligheid.straatintimidatie"],
                "domains": ["strafrecht"],
            },
        )

    new = _write_rules(tmp_path, mutate)
    out, err = io.StringIO(), io.StringIO()
    code = rules_diff(argparse.Namespace(old=str(DEFAULT_RULES), new=str(new), sample=None), out, err)
    assert code == 0, err.getvalue()
    text = out.getvalue()
    assert "lead_partner: gemeente-" in text and "-> politie" in text
    assert "cat.straatintimidatie-politie" in text
    assert "would route differently" in text.splitlines()[-1]
    # The same file against itself changes nothing.
    out = io.StringIO()
    rules_diff(argparse.Namespace(old=str(DEFAULT_RULES), new=str(DEFAULT_RULES), sample=None), out, err)
    assert ": 0 of " in out.getvalue()
    assert (DATA.parent / "data").is_dir()
