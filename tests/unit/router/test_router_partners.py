"""Earlier-report location keys, per-partner data minimisation and the routed report."""

from __future__ import annotations

import pytest

from contracts.intake import Location
from services.router.domain import (
    decide_route,
    earlier_reports_text,
    location_key,
    location_key_for_report,
    minimise,
    routed_report_for,
)
from services.router.rules import load_partners
from tests.unit.router.helpers import gazetteer, report, rules

KEY = b"k" * 32


def test_same_address_in_other_spelling_gives_the_same_key() -> None:
    a = location_key(
        Location(street="Julianastraat", house_number="18", city="Vroomshoop"), KEY, municipality="Twenterand"
    )
    b = location_key(
        Location(street="  julianastraat ", house_number="18", city="VROOMSHOOP"),
        KEY,
        municipality="Twenterand",
    )
    assert a == b and a is not None and len(a) == 64
    assert "julianastraat" not in a.lower()


def test_key_depends_on_number_place_and_secret() -> None:
    loc = Location(street="Hoofdstraat", house_number="3b", city="Kerkrade")
    k = location_key(loc, KEY)
    assert k != location_key(loc.model_copy(update={"house_number": "3a"}), KEY)
    assert k != location_key(loc.model_copy(update={"city": "Heerlen"}), KEY)
    assert k != location_key(loc, b"another secret")
    assert location_key(loc.model_copy(update={"house_number": "3 B"}), KEY) == k


def test_postcode_and_number_make_a_key_without_street() -> None:
    a = location_key(Location(postcode="7511 GH", house_number="17"), KEY)
    assert a is not None and a == location_key(Location(postcode="7511gh", house_number="17"), KEY)
    assert location_key(Location(postcode="7511", house_number="17"), KEY) is None


def test_no_key_without_an_address() -> None:
    assert location_key(None, KEY) is None
    assert location_key(Location(city="Almelo"), KEY) is None
    assert location_key(Location(street="Markt", city="Almelo"), KEY) is None
    assert location_key(Location(street="Markt", house_number="1", city="Almelo"), b"") is None


def test_premises_subject_fills_a_missing_street_address() -> None:
    r = report("x", city="Vroomshoop", subjects=[{"kind": "premises", "address": "Julianastraat 18"}])
    direct = location_key(Location(street="Julianastraat", house_number="18", city="Vroomshoop"), KEY)
    assert location_key_for_report(r, KEY) == direct


@pytest.mark.parametrize(
    ("count", "days", "text"),
    [
        (3, 365, "3 eerdere meldingen over dit adres in 12 maanden"),
        (1, 365, "1 eerdere melding over dit adres in 12 maanden"),
        (2, 180, "2 eerdere meldingen over dit adres in 6 maanden"),
        (4, 28, "4 eerdere meldingen over dit adres in 4 weken"),
    ],
)
def test_earlier_reports_text(count: int, days: int, text: str) -> None:
    assert earlier_reports_text(count, days) == text


def _full_report():  # type: ignore[no-untyped-def]
    return report(
        "Aanranding in de kroeg.",
        category="sociale-veiligheid.seksueel-geweld",
        postcode="8011 PK",
        occurred="zaterdagnacht",
        campaign="poster",
        subjects=[{"kind": "person", "description": "blond, 25"}],
        attachments=[{"filename": "a.jpg", "content_type": "image/jpeg", "data_base64": "AAAA"}],
    )


def test_minimise_keeps_only_what_the_partner_receives() -> None:
    partners = load_partners()
    r = _full_report()
    csg = minimise(r, partners["csg"])
    assert csg.subjects == [] and csg.attachments == [] and csg.campaign is None
    assert csg.incident is not None and csg.incident.occurred == "zaterdagnacht"
    assert csg.description == r.description and csg.report_id == r.report_id
    politie = minimise(r, partners["politie"])
    assert politie.subjects == r.subjects and politie.attachments == r.attachments
    assert politie.campaign is None
    assert minimise(r, partners["triage"]) == r
    riec = minimise(r, partners["riec"])
    assert riec.attachments == [] and riec.wants_feedback is True  # default: riec does not see the preference


def test_routed_report_for_lead_and_informed_partner() -> None:
    partners = load_partners()
    r = report(
        "Wietplantage op zolder.",
        category="ondermijning.drugs.hennepkwekerij",
        city="Vroomshoop",
        attachments=[{"filename": "a.jpg", "content_type": "image/jpeg", "data_base64": "AAAA"}],
    )
    d = decide_route(r, rules(), gazetteer(), earlier_reports=2)
    lead = routed_report_for(d, r, partners["politie"])
    assert lead.role == "lead" and lead.partner_id == "politie" and lead.report.attachments
    riec = routed_report_for(d, r, partners["riec"])
    assert riec.role == "informed" and riec.report.attachments == []
    assert riec.explanation.startswith("2 eerdere meldingen over dit adres in 12 maanden")
    with pytest.raises(ValueError, match="not among the partners"):
        routed_report_for(d, r, partners["adv"])
