"""The category classifier on hand-written reports in many styles, and its transparency."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.router.classify import Classifier, LexiconError, normalise, stem
from services.router.domain import decide_route
from tests.unit.router.helpers import gazetteer, handwritten, report, rules

CORPORA = [f"handwritten-reports{s}.yaml" for s in ("", "-2", "-3", "-4")]


def _classifier() -> Classifier:
    return Classifier.load(rules().lexicon_path, rules().taxonomy.codes())


@pytest.mark.parametrize("corpus", CORPORA)
def test_routing_of_handwritten_reports_without_category(corpus: str) -> None:
    cases = handwritten(corpus)
    lead = partners = category = priority = 0
    misses = []
    for case in cases:
        r = report(case["text"], city=case.get("city"), ongoing=case.get("ongoing", False))
        expected = decide_route(
            report(case["text"], category=case["category"], city=case.get("city")), rules(), gazetteer()
        )
        d = decide_route(r, rules(), gazetteer())
        category += d.category == case["category"]
        lead += d.lead_partner == expected.lead_partner
        partners += d.partners == expected.partners
        priority += d.priority == case.get("priority", "normal")
        if d.category != case["category"] or d.priority != case.get("priority", "normal"):
            misses.append(f"{case['category']} -> {d.category} {d.priority}: {case['text'][:60]}")
    n = len(cases)
    assert category / n >= 0.9, misses
    assert lead / n >= 0.93 and partners / n >= 0.9, misses
    assert priority / n >= 0.95, misses


@pytest.mark.parametrize("corpus", CORPORA)
def test_expected_municipality_of_handwritten_reports(corpus: str) -> None:
    for case in handwritten(corpus):
        r = report(case["text"], city=case.get("city"))
        assert (
            gazetteer().resolve(r.incident.location if r.incident else None, r.description).municipality
            == (case["gemeente"])
        ), case["city"]


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("er zit een wietplantge op zolder, t stinkt", "ondermijning.drugs.hennepkwekerij"),
        ("vanacht is bij de buren ingebroken, achterdeur opengebroken", "misdaad.inbraak"),
        ("ik ben opgelicht door een nepwebshopp, nooit geleverd", "misdaad.fraude"),
        ("PRostitusie in de bovenwoning, steeds andere mannen", "ondermijning.prostitutie"),
        ("heeeel veel asbest gedumpt in de berm!!!", "ondermijning.afvaldumping"),
    ],
)
def test_typos_and_chat_spelling_still_classify(text: str, category: str) -> None:
    assert _classifier().classify(text).category == category


def test_explanation_lists_matched_terms_and_scores() -> None:
    result = _classifier().classify("Er wordt coke verkocht vanuit een auto, veel kort bezoek.")
    assert result.category == "ondermijning.drugs.handel"
    text = result.explain()
    assert text.startswith("ondermijning.drugs.handel ")
    assert "coke" in text and "kort bezoek" in text
    assert 0 < result.confidence <= 1


def test_negated_terms_do_not_count() -> None:
    c = _classifier()
    assert c.classify("Er was geen wapen te zien.").scores.get("misdaad.wapens", 0) == 0
    assert c.classify("Hij had een wapen bij zich.").scores.get("misdaad.wapens", 0) > 0


def test_empty_text_has_no_category() -> None:
    result = _classifier().classify("")
    assert result.category is None and result.confidence == 0 and "no category terms" in result.explain()


def test_normalise_and_stem() -> None:
    assert normalise("Cocaïne, ZÓ veeeel!!") == ["cocaine", "zo", "veel"]
    assert stem("seksuele") == stem("seksueel")
    assert stem("bruises") == stem("bruise")


def test_lexicon_with_unknown_category_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "lex.yaml"
    path.write_text("categories:\n  misdaad.cyber:\n    3: [hacker]\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="unknown categories"):
        Classifier.load(path, rules().taxonomy.codes())
    path.write_text("categories:\n  misdaad.fraude:\n    3: ['*']\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="empty word"):
        Classifier.load(path)
