"""Municipality resolution from places named in free text and in the location note or street field.

Each name found is scored by its context: a place preposition before it, its capital, the start of a
sentence, the word after it, and the field it came from; everyday words that are also place names need
more context than other names. Ambiguous names are narrowed by other clues or left to triage.
"""

from __future__ import annotations

import csv
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts.intake import Location
from services.router.geo import GEO_DIR, fold
from tests.unit.router.helpers import gazetteer


def municipality_of(text: str, location: Location | None = None) -> str | None:
    return gazetteer().resolve(location, text).municipality


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("corner of Haarlemmerweg and Plesmanlaan in leiden", "Leiden"),
        ("there is a weed farm in leiden near the station", "Leiden"),
        ("hier in Zwolle zit een wietkwekerij", "Zwolle"),
        ("bij het station van Amersfoort staat een pand leeg", "Amersfoort"),
        ("bij het station van amersfoort staat een pand leeg", "Amersfoort"),
        ("in de buurt van Sneek wordt afval gedumpt", "Súdwest-Fryslân"),
        ("een woning te Apeldoorn", "Apeldoorn"),
        ("in Den Bosch centrum", "'s-Hertogenbosch"),
        ("in den bosch", "'s-Hertogenbosch"),
        ("overlast in Amsterdam-Noord", "Amsterdam"),
        ("overlast in Utrecht Overvecht", "Utrecht"),
        ("Scheveningen", "'s-Gravenhage"),
        ("near Scheveningen beach", "'s-Gravenhage"),
        ("in the hague", "'s-Gravenhage"),
        ("in Den Helder", "Den Helder"),
        ("in den helder bij de haven", "Den Helder"),
        ("in de Bijlmer", "Amsterdam"),
        ("WIETPLANTAGE IN ZWOLLE", "Zwolle"),
        ("Amersfoort, bij het station", "Amersfoort"),
        ("vroomshoop, achter de kerk", "Twenterand"),
    ],
)
def test_place_named_in_the_description_resolves(text: str, expected: str) -> None:
    assert municipality_of(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ergens in A'dam bij het centraal", "Amsterdam"),
        ("in a’dam", "Amsterdam"),
        ("ergens in R'dam zuid", "Rotterdam"),
        ("in Rdam", "Rotterdam"),
        ("in Mokum", "Amsterdam"),
        ("in dordt bij de haven", "Dordrecht"),
        ("in Ljouwert", "Leeuwarden"),
        ("in Snits", "Súdwest-Fryslân"),
        ("in 's-Hertogenbosch", "'s-Hertogenbosch"),
        ("in s-Hertogenbosch", "'s-Hertogenbosch"),
        ("in Hertogenbosch", "'s-Hertogenbosch"),
    ],
)
def test_everyday_names_abbreviations_and_frisian_names_resolve(text: str, expected: str) -> None:
    assert municipality_of(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in apeldorn", "Apeldoorn"),
        ("in hengeloo bij de markt", "Hengelo (O.)"),
        ("wietplantage in eindhovne", "Eindhoven"),
        ("te Amsterdm", "Amsterdam"),
    ],
)
def test_one_slip_in_a_long_name_after_a_place_preposition_is_corrected(text: str, expected: str) -> None:
    assert municipality_of(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "het ligt in schragen",  # a word one letter from Schagen
        "in haringen verpakt",  # Harlingen
        "ik zag het in apeldorn kisten",  # a noun follows: not a place
        "ze zijn apeldorn",  # no place preposition
        "it is a wetland",
    ],
)
def test_words_near_a_place_name_are_not_read_as_misspellings(text: str) -> None:
    assert not gazetteer().resolve(None, text).resolved


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        (Location(street="Kerkstraat 5, 1135 AB Edam"), "Edam-Volendam"),
        (Location(description="Kerkstraat 5, 1135 AB Edam"), "Edam-Volendam"),
        (Location(description="bij het station van Amersfoort"), "Amersfoort"),
        (Location(description="achter de Jumbo in vroomshoop"), "Twenterand"),
        (Location(description="Hoorn"), "Hoorn"),
        (Location(street="Stationsstraat Vroomshoop"), "Twenterand"),
    ],
)
def test_location_note_and_street_field_name_the_place(location: Location, expected: str) -> None:
    assert municipality_of("", location) == expected


@pytest.mark.parametrize(
    ("city", "expected"),
    [
        ("A'dam", "Amsterdam"),
        ("R'dam", "Rotterdam"),
        ("Amsterdam-Noord", "Amsterdam"),
        ("Utrecht Overvecht", "Utrecht"),
        ("Ljouwert", "Leeuwarden"),
        ("s-Hertogenbosch", "'s-Hertogenbosch"),
        ("Den Bosch centrum", "'s-Hertogenbosch"),
        ("apeldorn", "Apeldoorn"),
        ("hengeloo", "Hengelo (O.)"),
    ],
)
def test_city_field_variants_resolve(city: str, expected: str) -> None:
    assert municipality_of("", Location(city=city)) == expected


def test_location_fields_are_preferred_over_the_description() -> None:
    location = Location(description="achter de supermarkt in Zwolle")
    assert municipality_of("Ik woon zelf in Kampen, maar het pand ligt daar.", location) == "Zwolle"


def test_place_in_a_subjects_address_line_resolves() -> None:
    # The router appends the subjects' addresses to the description.
    assert municipality_of("Er wordt gedeald vanuit een woning.\nDorpsstraat 5 Vroomshoop") == "Twenterand"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("het adres is Kerkstraat 5, 1135 AB", "Edam-Volendam"),
        ("postcode 1012 AB", "Amsterdam"),
        ("postcode 1012ab", "Amsterdam"),
    ],
)
def test_full_postcode_in_the_description_resolves(text: str, expected: str) -> None:
    assert municipality_of(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Bel 020 voor de politie, het gebeurde in 2019.",
        "IN 2023 IN DE ZOMER WAS HET DRUK",
    ],
)
def test_numbers_are_not_postcodes(text: str) -> None:
    r = gazetteer().resolve(None, text)
    assert not r.resolved and not r.ambiguous


@pytest.mark.parametrize(
    "text",
    [
        "in Alphen",
        "Het pand staat in Alphen, bij de kerk.",
        "in Den Ham",
        "in Alphen, vlakbij Leiden",  # the province points Alphen to Alphen aan den Rijn: two places
    ],
)
def test_names_shared_by_several_municipalities_are_not_guessed(text: str) -> None:
    r = gazetteer().resolve(None, text)
    assert r.municipality is None and r.ambiguous


@pytest.mark.parametrize(
    ("location", "text", "expected"),
    [
        (Location(city="Alphen", postcode="2401"), "", "Alphen aan den Rijn"),
        (None, "in Alphen aan den Rijn", "Alphen aan den Rijn"),
        (None, "het pand in Alphen, Zuid-Holland", "Alphen aan den Rijn"),
        (None, "in Den Ham, vlak bij Vroomshoop", "Twenterand"),
    ],
)
def test_shared_names_are_resolved_with_another_clue(
    location: Location | None, text: str, expected: str
) -> None:
    assert municipality_of(text, location) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Ik doe mijn best om het uit te leggen.",
        "Dat is echt niet normaal meer.",
        "We hebben te kampen met veel overlast.",
        "Dit kan leiden tot gevaarlijke situaties.",
        "Om het bedrijf te leiden gebruikt hij een stroman.",
        "De spullen liggen in houten kisten achter de schuur.",
        "Ze verstoppen het in putten in de tuin.",
        "Er vliegen duiven rond het pand.",
        "Hij opende de deur en rolde een sigaret.",
        "In de wijk wordt gedeald.",
        "boven woont een man die veel bezoek krijgt",
        "in heel Nederland gebeurt dit",
        "ze handelen in dieren",
        "de motor hapert steeds",
        "de wind kwam uit zuidoost",
        "Hoorn dat geluid?",
    ],
)
def test_everyday_words_that_are_place_names_are_not_places(text: str) -> None:
    r = gazetteer().resolve(None, text)
    assert not r.resolved and not r.ambiguous, r


@pytest.mark.parametrize(
    "text",
    [
        "there is a dam behind the house",
        "I heard a horn at night",
        "the smell is really strong in the hall",
        "he was born in 1985",
        "They made a lot of money in cash",
        "it happened in winter, well before the summer",
    ],
)
def test_english_words_that_are_place_names_are_not_places(text: str) -> None:
    r = gazetteer().resolve(None, text)
    assert not r.resolved and not r.ambiguous, r


@pytest.mark.parametrize(
    "text",
    [
        "Hij woont op de Utrechtseweg 12.",
        "Het busje staat op de Amsterdamsestraatweg.",
        "Het pand aan de Leidsestraat is leeg.",
        "Het pand aan de Utrecht straat is leeg.",
    ],
)
def test_street_names_containing_a_place_name_are_not_the_place(text: str) -> None:
    assert not gazetteer().resolve(None, text).resolved


@pytest.mark.parametrize(
    "text",
    [
        "Meneer Haren verhuurt kamers zonder vergunning.",
        "De eigenaar is Jan Kampen.",
        "Axel verkoopt drugs vanuit zijn auto.",
        "Stein komt elke dag langs met pakketjes.",
        "Familie Van Dalen woont er.",
        "mevrouw De Vries weet ervan",
    ],
)
def test_person_names_that_are_place_names_are_not_places(text: str) -> None:
    assert not gazetteer().resolve(None, text).resolved


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Het pand in Best staat leeg", "Best"),
        ("een loods te Goes", "Goes"),
        ("in goes", "Goes"),
        ("in Putten", "Putten"),
        ("in houten bij de kerk", "Houten"),
        ("in Axel", "Terneuzen"),
        ("de schuur bij Doorn", "Utrechtse Heuvelrug"),
    ],
)
def test_everyday_word_names_count_with_a_place_preposition(text: str, expected: str) -> None:
    assert municipality_of(text) == expected


def test_direction_and_origin_do_not_outweigh_the_incident_place() -> None:
    assert municipality_of("uit Amsterdam kwam een busje, het pand staat in Zwolle") == "Zwolle"
    assert municipality_of("verhuisd naar Zwolle") is None


def test_stop_lists_name_real_places() -> None:
    g = gazetteer()
    assert not g.common_words & g.word_names
    assert all(g.lookup_name(w) for w in g.common_words | g.word_names)
    assert not {w for w in g.not_typos if w in g.names}


# --- every unique woonplaats, as reporters write it ------------------------------------------------


@cache
def _unique_woonplaatsen() -> list[tuple[str, str]]:
    """(name, gemeente code) for every CBS woonplaats whose name means one municipality."""
    g = gazetteer()
    with (GEO_DIR / "woonplaatsen.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    unique = []
    for row in rows:
        codes = g.lookup_name(row["woonplaats"])
        if len(codes) == 1:
            unique.append((row["woonplaats"], next(iter(codes))))
    return unique


def _reads_as_a_word(name: str) -> bool:
    g = gazetteer()
    key = fold(name)
    return key in g.common_words or (len(key) <= 3 and key not in g.word_names)


def test_almost_every_woonplaats_name_is_unique() -> None:
    assert len(_unique_woonplaatsen()) > 2300


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_every_unique_woonplaats_resolves_written_lowercase_after_in(data: st.DataObject) -> None:
    name, code = data.draw(st.sampled_from(_unique_woonplaatsen()))
    if _reads_as_a_word(name):
        return  # on the stop-list of everyday words: needs a capital too (next test)
    template = data.draw(
        st.sampled_from(["het pand staat in {}", "there is a weed farm in {}", "in {}, achter de kerk"])
    )
    r = gazetteer().resolve(None, template.format(name.lower()))
    assert r.code == code, (name, r)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_every_unique_woonplaats_resolves_capitalised_after_a_place_preposition(data: st.DataObject) -> None:
    name, code = data.draw(st.sampled_from(_unique_woonplaatsen()))
    template = data.draw(
        st.sampled_from(["Het pand staat in {}.", "Er wordt gedeald te {}, achter de kerk", "{}", "near {}"])
    )
    r = gazetteer().resolve(None, template.format(name))
    assert r.code == code, (name, r)


def test_every_unique_woonplaats_resolves_in_the_location_note() -> None:
    g = gazetteer()
    wrong = [
        name
        for name, code in _unique_woonplaatsen()
        if g.resolve(Location(description=f"bij de kerk in {name}"), "").code != code
    ]
    assert wrong == []
