"""Property tests of the rule engine over generated reports."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.router.domain import decide_route
from tests.unit.router.helpers import gazetteer, report, rules

CATEGORIES = [None, "unknown.category", *rules().taxonomy.codes()]
PLACES = [None, "Vroomshoop", "Den Ham", "Den Haag", "Atlantis", "Haren", "Sudwest Fryslan", "Amsterdm"]
WORDS = [
    "wiet",
    "coke",
    "mes",
    "pistool",
    "ingebroken",
    "opgelicht",
    "overlast",
    "asbest",
    "ingeschreven",
    "zwart",
    "witwassen",
    "nu",
    "op dit moment",
    "geen",
    "discriminatie",
    "aangerand",
    "buren",
    "schreeuwen",
    "in Almelo",
    "bij Vroomshoop",
    "the",
    "right now",
    "knife",
    "🙏",
    "!!",
    "7681 AB",
    "hallo",
]


@st.composite
def reports(draw):  # type: ignore[no-untyped-def]
    text = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12)))
    return report(
        text,
        category=draw(st.sampled_from(CATEGORIES)),
        city=draw(st.sampled_from(PLACES)),
        postcode=draw(st.sampled_from([None, "7681", "1012 LM", "0000"])),
        ongoing=draw(st.booleans()),
        review=draw(st.booleans()),
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_rule_engine_invariants(r) -> None:  # type: ignore[no-untyped-def]
    rs = rules()
    d = decide_route(r, rs, gazetteer())
    # The lead always receives the report; partners are sorted, unique and known to the registry.
    assert d.lead_partner in d.partners
    assert d.partners == sorted(set(d.partners))
    assert all(p in rs.partners for p in d.partners)
    # Every decision says which rules made it, under which rule-set version, and why.
    assert d.rule_ids and d.ruleset_version == rs.version and d.explanation
    # Triage if and only if the report could not be routed; then triage is the only partner.
    unroutable = "triage.low-confidence" in d.rule_ids or "triage.no-municipality" in d.rule_ids
    assert (d.lead_partner == "triage") == unroutable
    if unroutable:
        assert d.partners == ["triage"]
    # RIEC never leads; a gemeente is only named with a resolved municipality.
    assert d.lead_partner != "riec"
    if any(p.startswith("gemeente-") for p in d.partners):
        assert d.municipality is not None
    # Review keeps the intended partners.
    assert d.review == r.risk.review
    if d.review:
        assert d.intended_partners == d.partners
    # Urgency needs an incident that is going on now.
    if d.priority == "urgent":
        assert "urgency.ongoing-danger" in d.rule_ids
    # A classified category always has a confidence at or above the threshold.
    if d.category_source == "classifier" and d.category is not None:
        assert (d.category_confidence or 0) >= rs.min_confidence
