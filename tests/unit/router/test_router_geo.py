"""Municipality resolution from the incident location or the text, and the gemeente slug rule."""

from __future__ import annotations

import pytest

from contracts.intake import Location
from services.router.geo import municipality_slug
from tests.unit.router.helpers import gazetteer


@pytest.mark.parametrize(
    ("cbs_name", "partner_id"),
    [
        ("Almelo", "gemeente-almelo"),
        ("Twenterand", "gemeente-twenterand"),
        ("'s-Gravenhage", "gemeente-s-gravenhage"),
        ("Súdwest-Fryslân", "gemeente-sudwest-fryslan"),
        ("Hengelo (O.)", "gemeente-hengelo"),
        ("Bergen (NH.)", "gemeente-bergen-nh"),
        ("Bergen (L.)", "gemeente-bergen-l"),
        ("Nuenen, Gerwen en Nederwetten", "gemeente-nuenen-gerwen-en-nederwetten"),
        ("Beek (L.)", "gemeente-beek"),
    ],
)
def test_gemeente_partner_id_follows_the_slug_rule(cbs_name: str, partner_id: str) -> None:
    assert gazetteer().by_name[cbs_name].partner_id == partner_id


def test_slug_keeps_the_suffix_only_when_asked() -> None:
    assert municipality_slug("Bergen (NH.)") == "bergen"
    assert municipality_slug("Bergen (NH.)", keep_suffix=True) == "bergen-nh"


def test_only_the_two_bergens_keep_their_province_suffix() -> None:
    kept = [
        m.name
        for m in gazetteer().municipalities.values()
        if "(" in m.name and m.slug != municipality_slug(m.name)
    ]
    assert sorted(kept) == ["Bergen (L.)", "Bergen (NH.)"]
    assert len({m.slug for m in gazetteer().municipalities.values()}) == 342


@pytest.mark.parametrize(
    ("city", "expected"),
    [
        ("Vroomshoop", "Twenterand"),
        ("Den Haag", "'s-Gravenhage"),
        ("den haag", "'s-Gravenhage"),
        ("Den Bosch", "'s-Hertogenbosch"),
        ("Scheveningen", "'s-Gravenhage"),
        ("Haren Gn", "Groningen"),
        ("Haren (Gn)", "Groningen"),
        ("Sudwest Fryslan", "Súdwest-Fryslân"),
        ("Súdwest-Fryslân", "Súdwest-Fryslân"),
        ("Sneek", "Súdwest-Fryslân"),
        ("Klazienaveen", "Emmen"),
        ("Zaandam", "Zaanstad"),
        ("Hengelo", "Hengelo (O.)"),
        ("'s-Hertogenbosch", "'s-Hertogenbosch"),
        ("Amsterdam Zuidoost", "Amsterdam"),
        ("Rotterdam-Zuid", "Rotterdam"),
        ("gemeente Twenterand", "Twenterand"),
        ("Den Ham Ov", "Twenterand"),
        ("Amsterdm", "Amsterdam"),
        ("Eindhovne", "Eindhoven"),
    ],
)
def test_city_field_resolves_to_its_municipality(city: str, expected: str) -> None:
    r = gazetteer().resolve(Location(city=city), "")
    assert r.municipality == expected, r


@pytest.mark.parametrize(
    ("postcode", "expected"),
    [
        ("7681", "Twenterand"),
        ("7681 AB", "Twenterand"),
        ("7681ab", "Twenterand"),
        ("1012 LM", "Amsterdam"),
        ("2582", "'s-Gravenhage"),
        ("9711 JN", "Groningen"),
    ],
)
def test_postcode_pc4_or_full_resolves(postcode: str, expected: str) -> None:
    r = gazetteer().resolve(Location(postcode=postcode), "")
    assert r.municipality == expected and r.how == "postcode"


def test_den_ham_alone_is_ambiguous_and_not_guessed() -> None:
    r = gazetteer().resolve(Location(city="Den Ham"), "Er wordt hier wiet gekweekt.")
    assert r.municipality is None and r.ambiguous
    assert r.candidates == ["Twenterand", "Westerkwartier"]


@pytest.mark.parametrize(
    ("location", "text", "expected"),
    [
        (Location(city="Den Ham", postcode="7683 AB"), "", "Twenterand"),
        (Location(city="Den Ham"), "het is vlak bij Vroomshoop", "Twenterand"),
        (Location(city="Den Ham"), "in het Westerkwartier, niet ver van Groningen", "Westerkwartier"),
        (Location(city="Den Ham", description="bij de kerk in Overijssel"), "", "Twenterand"),
    ],
)
def test_den_ham_is_resolved_with_another_clue(location: Location, text: str, expected: str) -> None:
    assert gazetteer().resolve(location, text).municipality == expected


def test_place_named_only_in_the_description() -> None:
    g = gazetteer()
    r = g.resolve(None, "hoi ik wil iets melden, in het huis achter de sporthal in klazienaveen zit wiet")
    assert r.municipality == "Emmen" and r.how == "description"
    assert g.resolve(Location(), "Melder belt over een pand aan de Markt in Den Bosch.").municipality == (
        "'s-Hertogenbosch"
    )
    assert g.resolve(None, "There is a cannabis farm in Scheveningen near the harbour").municipality == (
        "'s-Gravenhage"
    )
    assert g.resolve(None, "Dit speelt in 7681 AB, achter de kerk").municipality == "Twenterand"


def test_everyday_words_and_surnames_are_not_places() -> None:
    g = gazetteer()
    assert not g.resolve(None, "Ik doe mijn best, echt waar. De buren zijn bang.").resolved
    assert not g.resolve(None, "De eigenaar heet Frank Maas en woont ergens anders.").resolved
    assert g.resolve(None, "Het pand in Best staat leeg").municipality == "Best"


def test_direction_is_not_the_incident_place() -> None:
    r = gazetteer().resolve(None, "bij het Weizigtpark in Dordrecht, daarna reden ze richting Rotterdam")
    assert r.municipality == "Dordrecht"


def test_two_different_places_in_the_text_are_not_guessed() -> None:
    r = gazetteer().resolve(None, "Het gebeurt in Almelo en ook in Zwolle.")
    assert r.municipality is None and r.ambiguous


def test_unknown_place_is_unresolved() -> None:
    r = gazetteer().resolve(Location(city="Atlantis"), "")
    assert not r.resolved and not r.ambiguous
