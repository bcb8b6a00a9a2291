"""decide_route against routing policy v1: every row of the DESIGN.md table, triage, review, urgency."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.router.domain import decide_route
from tests.unit.router.helpers import gazetteer, report, rules

# (category, lead, partners) with the incident in Vroomshoop (gemeente-twenterand), straight from DESIGN.md.
G = "gemeente-twenterand"
TABLE = [
    ("ondermijning.drugs.hennepkwekerij", "politie", ["om", G, "riec"]),
    ("ondermijning.drugs.handel", "politie", ["om"]),
    ("ondermijning.drugs.lab", "politie", ["om", G, "riec"]),
    ("ondermijning.witwassen", "politie", ["om", "belastingdienst", "riec"]),
    ("ondermijning.mensenhandel", "politie", ["om", G, "riec"]),
    ("ondermijning.prostitutie", G, ["politie", "om", "riec"]),
    ("ondermijning.adresfraude", G, []),
    ("ondermijning.illegale-bewoning", G, []),
    ("ondermijning.overlastpand", G, []),
    ("ondermijning.afvaldumping", G, []),
    ("ondermijning.belastingfraude", "belastingdienst", []),
    ("ondermijning.zwartwerk", "belastingdienst", []),
    ("ondermijning.overig", "goc", []),
    ("misdaad.geweld", "politie", ["om"]),
    ("misdaad.wapens", "politie", ["om"]),
    ("misdaad.inbraak", "politie", ["om"]),
    ("misdaad.fraude", "politie", ["om"]),
    ("misdaad.verdachte-situatie", "politie", ["om"]),
    ("sociale-veiligheid.discriminatie", "adv", []),
    ("sociale-veiligheid.straatintimidatie", G, []),
    ("sociale-veiligheid.seksueel-geweld", "csg", []),
    ("sociale-veiligheid.huiselijk-geweld", "veilig-thuis", []),
]


@pytest.mark.parametrize(("category", "lead", "informed"), TABLE)
def test_every_row_of_the_routing_table(category: str, lead: str, informed: list[str]) -> None:
    d = decide_route(report("Er speelt iets.", category=category, city="Vroomshoop"), rules(), gazetteer())
    assert d.lead_partner == lead
    assert d.partners == sorted({lead, *informed})
    assert d.category == category and d.category_source == "reporter"
    assert d.municipality == "Twenterand"
    assert d.ruleset_version == rules().version
    assert any(r.startswith("cat.") for r in d.rule_ids)


def test_bestuursrecht_without_municipality_goes_to_triage() -> None:
    d = decide_route(
        report("Op dit adres staan tien mensen ingeschreven.", category="ondermijning.adresfraude"),
        rules(),
        gazetteer(),
    )
    assert (d.lead_partner, d.partners) == ("triage", ["triage"])
    assert "triage.no-municipality" in d.rule_ids
    assert d.legal_domains == ["bestuursrecht"]


def test_ambiguous_place_is_not_guessed_for_a_gemeente_report() -> None:
    d = decide_route(
        report("Overlast van het pand.", category="ondermijning.overlastpand", city="Den Ham"),
        rules(),
        gazetteer(),
    )
    assert d.lead_partner == "triage"
    assert "Twenterand, Westerkwartier" in d.explanation


def test_second_domain_bestuursrecht_without_municipality_drops_only_the_gemeente() -> None:
    d = decide_route(
        report("Wietplantage op zolder.", category="ondermijning.drugs.hennepkwekerij"), rules(), gazetteer()
    )
    assert d.lead_partner == "politie"
    assert d.partners == ["om", "politie", "riec"]
    assert "bestuursrecht.gemeente-dropped" in d.rule_ids
    assert "no gemeente is informed" in d.explanation


def test_strafrecht_report_without_location_still_routes() -> None:
    d = decide_route(report("Ik ben opgelicht via Marktplaats, nooit geleverd."), rules(), gazetteer())
    assert (d.lead_partner, d.partners, d.category) == ("politie", ["om", "politie"], "misdaad.fraude")
    assert d.municipality is None


def test_no_category_and_no_signal_goes_to_triage() -> None:
    d = decide_route(report("Graag wil ik iets doorgeven over mijn buurt."), rules(), gazetteer())
    assert (d.lead_partner, d.partners, d.category) == ("triage", ["triage"], None)
    assert "triage.low-confidence" in d.rule_ids
    assert d.legal_domains == []


def test_category_is_classified_when_missing_or_unknown() -> None:
    text = "In de schuur kweken ze wiet, het stinkt naar hennep en de ramen zijn afgeplakt."
    for given in (None, "drugs-ofzo", "onbekend.code"):
        d = decide_route(report(text, category=given, city="Vroomshoop"), rules(), gazetteer())
        assert d.category == "ondermijning.drugs.hennepkwekerij"
        assert d.category_source == "classifier" and (d.category_confidence or 0) >= rules().min_confidence
        assert "category.classifier" in d.rule_ids
        assert "wiet" in d.explanation


def test_category_given_as_a_label_or_prefix_is_understood() -> None:
    d = decide_route(report("x", category="Hennepkwekerij", city="Almelo"), rules(), gazetteer())
    assert d.category == "ondermijning.drugs.hennepkwekerij" and d.category_source == "reporter"
    d = decide_route(
        report("er wordt coke verkocht vanuit een auto", category="ondermijning.drugs", city="Almelo"),
        rules(),
        gazetteer(),
    )
    assert d.category == "ondermijning.drugs.handel"


def test_review_keeps_the_intended_partners_and_the_reasons() -> None:
    r = report(
        "Wietplantage op zolder.",
        category="ondermijning.drugs.hennepkwekerij",
        city="Vroomshoop",
        review=True,
        reasons=["unique self-description", "small village"],
    )
    d = decide_route(r, rules(), gazetteer())
    assert d.review is True
    assert d.review_reasons == ["unique self-description", "small village"]
    assert d.intended_partners == d.partners == ["gemeente-twenterand", "om", "politie", "riec"]
    assert d.lead_partner == "politie"
    assert "review.anonymizer" in d.rule_ids


@pytest.mark.parametrize(
    ("text", "category", "ongoing", "occurred", "priority"),
    [
        (
            "Er wordt gevochten voor het café, iemand ligt op de grond.",
            "misdaad.geweld",
            True,
            None,
            "urgent",
        ),
        ("jongen met een pistool in het park", None, True, None, "urgent"),
        (
            "Het is NU weer raak, muziek keihard en geschreeuw in het pand.",
            "ondermijning.overlastpand",
            True,
            None,
            "normal",
        ),
        ("Vorige week is er ingebroken bij de buren.", "misdaad.inbraak", False, "vorige week", "normal"),
        (
            "Geen directe dreiging op dit moment, wel een verdachte auto.",
            "misdaad.verdachte-situatie",
            False,
            "drie nachten",
            "normal",
        ),
        ("Someone is breaking into the house across the street right now!", None, False, None, "urgent"),
        ("op dit moment staan twee mannen met een mes te dreigen", None, False, None, "urgent"),
        (
            "De buren schreeuwen en slaan, het kind huilt.",
            "sociale-veiligheid.huiselijk-geweld",
            False,
            "nu",
            "urgent",
        ),
        ("Er wordt nu wiet verkocht bij de school.", "ondermijning.drugs.handel", True, None, "normal"),
        (
            "Er wordt nu gedeald en een van hen heeft een mes.",
            "ondermijning.drugs.handel",
            True,
            None,
            "urgent",
        ),
    ],
)
def test_priority_is_urgent_only_for_ongoing_danger(
    text: str, category: str | None, ongoing: bool, occurred: str | None, priority: str
) -> None:
    d = decide_route(
        report(text, category=category, city="Almelo", ongoing=ongoing, occurred=occurred),
        rules(),
        gazetteer(),
    )
    assert d.priority == priority, d.explanation
    assert ("urgency.ongoing-danger" in d.rule_ids) == (priority == "urgent")


def test_decision_carries_context_but_no_report_content() -> None:
    now = datetime(2026, 6, 7, 5, 0, tzinfo=UTC)
    r = report(
        "Unieke zin die niet mag lekken: wietplantage Julianastraat.",
        city="Vroomshoop",
        street="Julianastraat",
        house_number="18",
        campaign="poster-2026",
        channel="whatsapp",
    )
    d = decide_route(r, rules(), gazetteer(), earlier_reports=3, now=now)
    assert d.earlier_reports == 3 and d.decided_at == now
    assert "3 eerdere meldingen over dit adres in 12 maanden" in d.explanation
    assert d.channel == "whatsapp" and d.campaign == "poster-2026"
    dumped = d.model_dump_json()
    assert "Unieke zin" not in dumped and "Julianastraat" not in dumped


def test_supplement_goes_to_the_partners_of_the_original() -> None:
    original = decide_route(
        report("Wietplantage.", category="ondermijning.drugs.hennepkwekerij", city="Almelo"),
        rules(),
        gazetteer(),
    )
    answer = report("Ja, de auto was blauw.", kind="supplement", supplement_to=original.report_id)
    d = decide_route(answer, rules(), gazetteer(), original=original)
    assert d.partners == original.partners and d.lead_partner == original.lead_partner
    assert "supplement.same-partners" in d.rule_ids


def test_decision_is_deterministic() -> None:
    r = report("Er wordt coke verkocht bij de flat in Almelo.")
    assert decide_route(r, rules(), gazetteer()) == decide_route(r, rules(), gazetteer())
