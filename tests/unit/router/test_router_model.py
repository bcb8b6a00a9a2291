"""The learned classifier next to the lexicon: training data, determinism, explanations, generalisation."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from services.router.domain import decide_route
from services.router.model import TextModel, train
from services.router.rules import load_ruleset
from services.router.training import TRAINING_DIR, build_training_set, load_training_set
from tests.unit.router.helpers import gazetteer, report, rules


@cache
def _model() -> TextModel:
    return train([(t, c) for t, c, _ in load_training_set()])


def test_shipped_training_set_is_what_the_sources_give(tmp_path: Path) -> None:
    counts = build_training_set(tmp_path)
    shipped = sorted(p.name for p in TRAINING_DIR.glob("*.jsonl"))
    assert sorted(p.name for p in tmp_path.glob("*.jsonl")) == shipped
    for name in shipped:
        assert (tmp_path / name).read_bytes() == (TRAINING_DIR / name).read_bytes(), name
    assert sum(counts.values()) == len(load_training_set()) >= 300
    # Never the final-check held-out sets.
    assert not any(n.startswith(("heldout-b", "heldout-c")) for n in shipped)


def test_every_category_has_training_texts() -> None:
    labels = {c for _, c, _ in load_training_set()}
    assert labels == set(rules().taxonomy.codes())
    for line in (TRAINING_DIR / "heldout-a.jsonl").read_text(encoding="utf-8").splitlines():
        assert set(json.loads(line)) == {"text", "category"}


def test_training_is_deterministic() -> None:
    rows = [(t, c) for t, c, _ in load_training_set()]
    a, b = train(rows), train(rows)
    assert np.array_equal(a.model.coef_, b.model.coef_)
    text = "ik word elke dag nagefloten op straat"
    assert a.predict(text).probabilities == b.predict(text).probabilities


@pytest.mark.parametrize(
    ("text", "category"),
    [
        (
            "bij de buren ruikt het de hele dag naar wiet en de zolder is afgeplakt",
            "ondermijning.drugs.hennepkwekerij",
        ),
        (
            "My neighbour's loft smells like skunk and the fans run all night",
            "ondermijning.drugs.hennepkwekerij",
        ),
        ("die gast verkoopt coke vanuit zn auto, steeds kort bezoek", "ondermijning.drugs.handel"),
        ("ik ben opgelicht via marktplaats, betaald en nooit geleverd", "misdaad.fraude"),
        ("vannacht ingebroken bij de buren, achterdeur opengebroken", "misdaad.inbraak"),
        ("de schilder werkt zwart naast zijn uitkering, alleen contant betalen", "ondermijning.zwartwerk"),
        ("someone dumped barrels of chemical waste in the woods", "ondermijning.drugs.lab"),
    ],
)
def test_clear_reports_classify_with_the_model_alone(text: str, category: str) -> None:
    assert _model().predict(text).ranking()[0][0] == category


def test_decision_explanation_names_lexicon_terms_model_and_ngrams() -> None:
    text = "hoi, bij nr 14 stinkt het de hele dag naar wiet en de zolder is dichtgeplakt"
    d = decide_route(report(text, city="Tilburg"), rules(), gazetteer())
    assert d.category == "ondermijning.drugs.hennepkwekerij"
    line = d.explanation.splitlines()[0]
    assert "lexicon: ondermijning.drugs.hennepkwekerij" in line
    assert "model: ondermijning.drugs.hennepkwekerij" in line and "wiet" in line.split("model:")[1]
    assert (d.category_confidence or 0) >= rules().min_confidence


def test_evidence_is_the_words_that_raised_the_score() -> None:
    p = _model().predict("er staat een wietplantage op zolder", evidence=5)
    top = p.ranking()[0][0]
    words = [w for w, _ in p.evidence[top]]
    assert words and any("wiet" in w or "zolder" in w for w in words)
    assert all(v > 0 for _, v in p.evidence[top])


def test_vague_text_still_goes_to_triage() -> None:
    for text in ("Graag wil ik iets doorgeven over mijn buurt.", "ik wil iets melden", "hallo"):
        d = decide_route(report(text, city="Almelo"), rules(), gazetteer())
        assert d.lead_partner == "triage" and d.category is None, text


def test_version_covers_the_training_data(tmp_path: Path) -> None:
    shipped = rules()
    rules_file = tmp_path / "rules.yaml"
    rules_file.write_text(Path(shipped.source).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "category-lexicon.yaml").write_bytes(shipped.lexicon_path.read_bytes())
    (tmp_path / "training").mkdir()
    for f in shipped.training_files:
        (tmp_path / "training" / f.name).write_bytes(f.read_bytes())
    assert load_ruleset(rules_file).version == shipped.version
    extra = {"text": "nog een voorbeeld van een inbraak", "category": "misdaad.inbraak"}
    with (tmp_path / "training" / "extra.jsonl").open("w", encoding="utf-8") as f:
        f.write(json.dumps(extra) + "\n")
    changed = load_ruleset(rules_file)
    assert (
        changed.version != shipped.version and len(changed.training_files) == len(shipped.training_files) + 1
    )


def test_leave_one_source_out_accuracy() -> None:
    # Train on every source but one, test on that one: an estimate of accuracy on unseen text.
    # The model alone (the lexicon was tuned on these texts, so it would flatter the figure).
    rows = load_training_set()
    sources = sorted({s for _, _, s in rows})
    right = total = 0
    for held in sources:
        model = train([(t, c) for t, c, s in rows if s != held])
        test = [(t, c) for t, c, s in rows if s == held]
        hits = sum(model.predict(t).ranking()[0][0] == c for t, c in test)
        assert hits / len(test) >= 0.75, held
        right, total = right + hits, total + len(test)
    assert right / total >= 0.82
