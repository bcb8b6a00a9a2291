"""Role-based defaults: a name, self-description or phone number is removed unless it is the subject's."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.anonymizer.detectors.roles import BRANDS, NATIONALITY
from services.anonymizer.domain import Anonymizer
from tests.unit.anonymizer.conftest import make_raw

PROPERTY = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _out(anonymizer: Anonymizer, text: str, **fields: Any) -> str:
    return anonymizer.anonymize(make_raw(text, **fields)).model_dump_json()


def _has(word: str, out: str) -> bool:
    return re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", out) is not None


def _names(anonymizer: Anonymizer, kind: str) -> list[str]:
    names = anonymizer.names
    trie = anonymizer.deduce.lookup_structs[kind]
    items = [word for word, child in trie.children.items() if child.is_terminal]  # one-token names
    return sorted(
        n
        for n in items
        if re.fullmatch(r"[A-Z][a-z]{3,11}", n)
        and not names.is_common(n)
        and not BRANDS.search(n)
        and not NATIONALITY.fullmatch(n)
    )[:4000]


@pytest.fixture(scope="module")
def first_names(anonymizer: Anonymizer) -> list[str]:
    return _names(anonymizer, "first_name")


@pytest.fixture(scope="module")
def surnames(anonymizer: Anonymizer) -> list[str]:
    return _names(anonymizer, "surname")


# --- names --------------------------------------------------------------------------------------


@PROPERTY
@given(data=st.data(), relation=st.sampled_from(["buurvrouw", "buurman", "vriendin", "collega", "zus"]))
def test_a_name_of_the_reporters_own_circle_never_survives(
    anonymizer: Anonymizer, first_names: list[str], surnames: list[str], data: st.DataObject, relation: str
) -> None:
    first = data.draw(st.sampled_from(first_names))
    last = data.draw(st.sampled_from(surnames))
    out = _out(anonymizer, f"Achter de flat wordt gedeald. Mijn {relation} {first} {last} zag het ook.")
    assert not _has(first, out) and not _has(last, out)


@PROPERTY
@given(data=st.data(), cue=st.sampled_from(["De dealer", "De eigenaar", "Die gast", "De verdachte"]))
def test_a_name_introduced_as_the_subject_survives(
    anonymizer: Anonymizer, first_names: list[str], surnames: list[str], data: st.DataObject, cue: str
) -> None:
    first = data.draw(st.sampled_from(first_names))
    last = data.draw(st.sampled_from(surnames))
    out = _out(anonymizer, f"{cue} {first} {last} verkoopt elke avond coke achter de flat.")
    assert f"{first} {last}" in out


def test_a_witness_with_no_subject_cue_is_replaced_by_a_third_party_placeholder(
    anonymizer: Anonymizer,
) -> None:
    out = _out(anonymizer, "Achter de flat wordt gedeald, Anja de Vries zag het ook.")
    assert "Anja" not in out and "[naam]" in out


def test_a_caller_named_by_the_call_taker_is_the_reporter(anonymizer: Anonymizer) -> None:
    out = _out(anonymizer, "Mevrouw belt over een drugspand. Mevrouw heet Ria Mulder.", channel="phone")
    assert "Mulder" not in out and "[naam melder]" in out


def test_a_name_given_in_subjects_is_kept_in_the_text(anonymizer: Anonymizer) -> None:
    out = _out(
        anonymizer,
        "Ik zag Johan van Beek weer bij de garage.",
        subjects=[{"kind": "person", "name": "Johan van Beek"}],
    )
    assert "Johan van Beek" in out


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Bij de snackbar staat een gast die ze Gouden Kevin noemen.", "Gouden Kevin"),
        ("Hij wordt door iedereen 'Kleine Mo' genoemd.", "Kleine Mo"),
        ("De bewoner heet Roy, een kleine man met een pitbull.", "Roy"),
        ("De uitvoerder, Sietse, deelt het geld uit.", "Sietse"),
        ("Ik had een gesprek met dhr. Koster, de eigenaar van het pand.", "Koster"),
        ("Others call him Rico. He hides the stuff behind a brick.", "Rico"),
        ("Er stond een busje van Snackbar Kevin voor de deur.", "Snackbar Kevin"),
        ("Een donkergrijze Mercedes Sprinter staat er elke nacht.", "Mercedes Sprinter"),
        ("Verdachte: Ronnie\nVoertuig: rode Golf", "Ronnie"),
    ],
)
def test_subject_names_shops_and_vehicles_are_kept(anonymizer: Anonymizer, text: str, kept: str) -> None:
    assert kept in _out(anonymizer, text)


def test_a_possessive_before_a_brand_like_name_still_marks_a_person(anonymizer: Anonymizer) -> None:
    assert "Mercedes" not in _out(anonymizer, "Mijn buurvrouw Mercedes zag de inbrekers ook.")


# --- self-descriptions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("Er wordt gedeald. Ik werk in het pand ernaast.", "pand ernaast"),
        ("Er wordt gedeald. I used to work there as a waiter.", "waiter"),
        (
            "Er wordt gedeald, ik heb er gewerkt, vraag maar naar de enige Nederlandse heftruckchauffeur.",
            "enige",
        ),
        ("Ik ben 67 en weduwe, ik durf niet meer naar buiten.", "weduwe"),
        ("Ik zit in een rolstoel en zie alles vanaf mijn balkon.", "rolstoel"),
        ("Mijn zoon zit in groep 7 en ziet ze elke dag dealen.", "groep 7"),
        ("De caller works as a nurse at the hospital nearby.", "nurse"),
    ],
)
def test_first_person_and_caller_self_descriptions_are_removed(
    anonymizer: Anonymizer, text: str, gone: str
) -> None:
    assert gone not in _out(anonymizer, text)


def test_the_same_job_shape_about_the_subject_is_kept(anonymizer: Anonymizer) -> None:
    assert "uitsmijter" in _out(anonymizer, "Hij werkt als uitsmijter bij de club en dealt daar ook.")


# --- phones -------------------------------------------------------------------------------------


def test_an_unclaimed_number_on_whatsapp_is_the_reporters(anonymizer: Anonymizer) -> None:
    out = _out(anonymizer, "Er wordt gedeald in de flat. Bel maar naar 06-58293041.", channel="whatsapp")
    assert "58293041" not in out


def test_a_number_the_suspect_used_is_kept_on_whatsapp(anonymizer: Anonymizer) -> None:
    text = "mn vader kreeg een appje 'dit is mn nieuwe nummer' vanaf 06-47382910 en maakte geld over."
    assert "06-47382910" in _out(anonymizer, text, channel="whatsapp")


def test_a_subjects_phone_is_kept_on_the_phone_channel(anonymizer: Anonymizer) -> None:
    out = _out(
        anonymizer,
        "Melder zegt dat 06-12345678 overal op flyers staat.",
        channel="phone",
        subjects=[{"kind": "person", "phone": "0612345678"}],
    )
    assert "06-12345678" in out


def test_an_unclaimed_number_in_a_web_report_is_evidence(anonymizer: Anonymizer) -> None:
    assert "06-12345678" in _out(
        anonymizer, "Op de flyer staat 06-12345678 voor bestellingen.", channel="web"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Ik heb het aan Piet Bakker verteld, hij zei dat ik moest bellen.",
        "Volgens Jan van de overkant is het al maanden zo.",
        "De Vries zag het ook gebeuren.",
        "Thomas en Lisa hebben het gezien toen ze uit school kwamen.",
    ],
)
def test_people_of_unknown_role_are_removed(anonymizer: Anonymizer, text: str) -> None:
    out = _out(anonymizer, text)
    assert not any(_has(n, out) for n in ("Piet", "Bakker", "Jan", "Vries", "Thomas", "Lisa"))


def test_a_sentence_opener_before_a_name_stays_readable(anonymizer: Anonymizer) -> None:
    assert "Volgens [naam]" in _out(anonymizer, "Volgens Jan van de overkant is het al maanden zo.")


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Bakkerij Van Gorp verkoopt onder de toonbank vuurwerk.", "Bakkerij Van Gorp"),
        ("In de duinen bij Egmond aan Zee ligt bouwafval.", "Egmond aan Zee"),
    ],
)
def test_shops_with_a_surname_and_place_names_are_kept(anonymizer: Anonymizer, text: str, kept: str) -> None:
    assert kept in _out(anonymizer, text)


def test_a_number_followed_by_whose_it_is_is_kept_on_the_phone_channel(anonymizer: Anonymizer) -> None:
    out = _out(anonymizer, "Melder noemt 06-11223344 van de dealer.", channel="phone")
    assert "06-11223344" in out


def test_a_workplace_that_is_not_the_topic_goes_with_the_job(anonymizer: Anonymizer) -> None:
    out = _out(
        anonymizer, "Er wordt gedeald in mijn straat. Ik werkte tot vorig jaar als caissière bij de Action."
    )
    assert "caissière" not in out and "Action" not in out


def test_a_childs_class_is_removed_with_the_parent(anonymizer: Anonymizer) -> None:
    out = _out(anonymizer, "Beste, ik ben moeder van een kind uit groep 8. De conciërge verkoopt vapes.")
    assert "groep 8" not in out and "conciërge verkoopt vapes" in out


def test_a_victim_in_the_passive_is_not_made_a_subject(anonymizer: Anonymizer) -> None:
    out = _out(anonymizer, "Reporter's son Liam (14) was threatened by a boy called Jayden.")
    assert "Liam" not in out and "Jayden" in out


def test_a_lower_case_name_of_the_reporters_circle_is_removed_in_chat(anonymizer: Anonymizer) -> None:
    out = _out(anonymizer, "mn buurvrouw anja zag het ook, de dealer heet rico", channel="whatsapp")
    assert not _has("anja", out) and _has("rico", out)


def test_a_lower_case_subject_of_the_reporters_circle_is_kept(anonymizer: Anonymizer) -> None:
    assert _has("sjaak", _out(anonymizer, "mn huisbaas sjaak verhuurt de zolder zwart", channel="whatsapp"))


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Het gaat om restaurant Da Mario aan de Markt.", "Da Mario"),
        ("Op de foto staat Youssef, hij is degene die het geld int.", "Youssef"),
        ("De verhuurder, Hr. Pietersen, vraagt 800 euro per kamer.", "Pietersen"),
    ],
)
def test_more_subject_shapes_are_kept(anonymizer: Anonymizer, text: str, kept: str) -> None:
    assert kept in _out(anonymizer, text)
