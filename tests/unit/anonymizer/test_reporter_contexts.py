"""Reporter identifiers in the phrasings the first detectors missed: chat exports, call-taker forms,
relatives named in other word orders, the reporter's own business or employer, and contact details
whose owner only a weak cue gives away. Each test also checks the subject's facts next to them survive."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.anonymizer.domain import Anonymizer

from .cases import occurs
from .conftest import make_raw

SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
FIRST_NAMES = [
    "Marieke",
    "Joost",
    "Fatima",
    "Sven",
    "Anouk",
    "Priya",
    "Lieke",
    "Bram",
    "Noor",
    "Kees",
    "Emma",
]
SURNAMES = ["Wolters", "Brinkman", "de Jong", "Yilmaz", "van der Heijden", "Kuipers", "Pietersen", "Bakker"]


def _out(anonymizer: Anonymizer, description: str, **fields: Any) -> dict[str, Any]:
    return json.loads(anonymizer.anonymize(make_raw(description, **fields)).model_dump_json())


def _check(out: dict[str, Any], leak: list[tuple[str, str]], keep: list[tuple[str, str]]) -> None:
    assert [v for v in leak if occurs(v[0], v[1], out)] == []
    assert [v for v in keep if not occurs(v[0], v[1], out)] == []


# --- chat exports ---

STAMPS = ["", "[12-03-2026 21:14] ", "12-03-2026 21:14 - ", "[21:14, 12-3-2026] ", "12/03/26, 21:14 - "]


@SETTINGS
@given(
    first=st.sampled_from(FIRST_NAMES),
    last=st.sampled_from(["", *SURNAMES]),
    stamp=st.sampled_from(STAMPS),
    staff=st.booleans(),
)
def test_chat_export_speaker_is_the_reporter_in_every_line(
    anonymizer: Anonymizer, first: str, last: str, stamp: str, staff: bool
) -> None:
    name = f"{first} {last}".strip()
    lines = [
        f"{stamp}{name}: hoi ik wil iets melden",
        *([f"{stamp}Meldpunt: dank u, waar is het?"] if staff else []),
        f"{stamp}{name}: bij de garage op de Industrieweg 4 staan elke nacht busjes",
        f"{stamp}{name}: de eigenaar heet Ronnie en rijdt een zwarte Audi",
    ]
    out = _out(anonymizer, "\n".join(lines), channel="whatsapp")
    _check(
        out, [("name", name)], [("name", "Ronnie"), ("address", "Industrieweg 4"), ("other", "zwarte Audi")]
    )


def test_forwarded_chat_keeps_the_counterpart_speaker(anonymizer: Anonymizer) -> None:
    text = "hij stuurde me dit:\nRonnie: je betaalt morgen of ik kom langs\nRonnie: neem cash mee\nIk: nee"
    _check(_out(anonymizer, text, channel="whatsapp"), [], [("name", "Ronnie")])


def test_form_labels_are_not_chat_speakers(anonymizer: Anonymizer) -> None:
    text = "Adres: Havenstraat 8\nKenteken: 12-ABC-3\nWat: er wordt gedeald vanuit een rode Golf"
    _check(_out(anonymizer, text), [], [("address", "Havenstraat 8"), ("plate", "12-ABC-3")])


# --- call-taker forms ----------------------------------------------------------------------------------

CALLTAKER = [
    ("Mevrouw {s} belt over een hennepkwekerij in de schuur aan de Veldweg.", "Veldweg"),
    ("Beller, dhr. {s}, meldt dat er op de Markt 3 wordt gedeald.", "Markt 3"),
    ("Gesprek met mevr. {s}. Zij ziet vaak een zwarte Mercedes bij de Dorpsstraat 9.", "Dorpsstraat 9"),
    ("Melder is mevrouw {s}, zij woont vlak bij de Dorpsstraat 9.", "Dorpsstraat 9"),
    ("Dhr. {s} (melder) zegt dat er op de Markt 3 gedeald wordt.", "Markt 3"),
    ("Mevrouw belt namens haar vader, dhr. {s}, over de Markt 3.", "Markt 3"),
]


@SETTINGS
@given(form=st.sampled_from(CALLTAKER), surname=st.sampled_from(SURNAMES))
def test_call_taker_naming_the_caller_removes_the_name(
    anonymizer: Anonymizer, form: tuple[str, str], surname: str
) -> None:
    text, place = form
    out = _out(anonymizer, text.format(s=surname), channel="phone")
    _check(out, [("name", surname)], [("address", place)])


def test_call_taker_keeps_a_suspect_named_with_an_honorific(anonymizer: Anonymizer) -> None:
    out = _out(anonymizer, "Melder belt over dhr. Brouwer die in de schuur aan de Veldweg wiet teelt.")
    _check(out, [], [("name", "Brouwer"), ("address", "Veldweg")])


# --- relatives ---

RELATIVE_FORMS = [
    "De zoon van ons, {n}, werd bij de skatebaan aangesproken door een jongen die ze Kleine Mo noemen.",
    "Mijn zoon heet {n} en hij werd bij de skatebaan bedreigd door een jongen die ze Kleine Mo noemen.",
    "My son is called {n} and he was offered pills near the skatepark by a guy they call Kleine Mo.",
    "My daughter's name is {n}; Kleine Mo sold her pills near the skatepark.",
    "Ik ben de moeder van {n} uit groep 7 en zie bij de skatebaan steeds Kleine Mo dealen.",
    "Een vriendin van mij ({n}) heeft Kleine Mo bij de skatebaan zien dealen.",
    "Mijn man {n} zag gisteren hoe Kleine Mo bij de skatebaan zakjes uitdeelde.",
]


@SETTINGS
@given(form=st.sampled_from(RELATIVE_FORMS), name=st.sampled_from(FIRST_NAMES))
def test_a_relatives_name_in_any_word_order_is_removed(anonymizer: Anonymizer, form: str, name: str) -> None:
    out = _out(anonymizer, form.format(n=name))
    _check(out, [("name", name)], [("name", "Kleine Mo")])


def test_every_name_in_a_list_of_relatives_is_removed(anonymizer: Anonymizer) -> None:
    out = _out(anonymizer, "Mijn kinderen Daan en Lotte spelen daar vaak, de man met de pitbull heet Bertus.")
    _check(out, [("name", "Daan"), ("name", "Lotte")], [("name", "Bertus")])


def test_partner_and_reporter_named_together_are_removed(anonymizer: Anonymizer) -> None:
    out = _out(anonymizer, "Mijn vrouw en ik (Kees en Ria Bos) zien dit al maanden bij Dorpsstraat 5.")
    _check(out, [("name", "Kees"), ("name", "Ria Bos")], [("address", "Dorpsstraat 5")])


# --- own business and employer ---


@pytest.mark.parametrize(
    "text,company",
    [
        (
            "Ik werk bij Bakkerij Smit en zie dat de eigenaar van de shishalounge ernaast contant stort.",
            "Bakkerij Smit",
        ),
        (
            "Vanuit mijn zaak (Kapsalon Lotus) zie ik de jongens bij de Havenstraat 8 dealen.",
            "Kapsalon Lotus",
        ),
        ("I work at Hotel Centraal and see the men at Havenstraat 8 every night.", "Hotel Centraal"),
    ],
)
def test_the_reporters_own_workplace_is_removed(anonymizer: Anonymizer, text: str, company: str) -> None:
    _check(_out(anonymizer, text), [("other", company)], [])


@pytest.mark.parametrize(
    "text,company",
    [
        (
            "Ik werk bij Schoonmaakbedrijf Glans en de eigenaar betaalt iedereen zwart.",
            "Schoonmaakbedrijf Glans",
        ),
        ("Ik werk bij Glans BV. Bij Glans BV krijgt niemand een contract.", "Glans BV"),
        ("I work for Sparkle Cleaning and my boss pays everyone cash in hand.", "Sparkle Cleaning"),
    ],
)
def test_an_employer_that_the_report_is_about_is_kept(
    anonymizer: Anonymizer, text: str, company: str
) -> None:
    _check(_out(anonymizer, text), [], [("other", company)])


def test_an_employer_given_as_subject_is_kept(anonymizer: Anonymizer) -> None:
    out = _out(
        anonymizer,
        "Ik werk bij Uitzendbureau TopFlex en zie dat mensen met elf man in een huis wonen.",
        subjects=[{"kind": "organisation", "name": "Uitzendbureau TopFlex"}],
    )
    _check(out, [], [("other", "Uitzendbureau TopFlex")])


# --- contact details with weak cues, own postcode and plate ---


@pytest.mark.parametrize(
    "text",
    [
        "Bij de Jumbo wordt gedeald. Bellen kan naar {p}.",
        "Bij de Jumbo wordt gedeald.\nWhatsApp: {p}",
        "Melder is bereikbaar via {p} na 17 uur.",
        "Er wordt gedeald bij de Jumbo. Bereikbaar op {p}.",
        "mijn nummer is 6 1234 5678",
    ],
)
def test_a_phone_number_the_reporter_offers_is_removed(anonymizer: Anonymizer, text: str) -> None:
    _check(_out(anonymizer, text.format(p="06-12345678")), [("phone", "0612345678")], [])


@pytest.mark.parametrize(
    "text",
    [
        "De dealer is te bereiken op {p}, dat staat op zijn kaartjes.",
        "Hij is bereikbaar op {p}, dat nummer staat in zijn advertentie.",
        "Hij appte mij vanaf {p} dat ik moest betalen.",
    ],
)
def test_a_suspects_phone_number_is_kept(anonymizer: Anonymizer, text: str) -> None:
    _check(_out(anonymizer, text.format(p="06-98765432")), [], [("phone", "0698765432")])


def test_reply_address_for_feedback_is_removed(anonymizer: Anonymizer) -> None:
    out = _out(anonymizer, "Bij de Jumbo wordt gedeald. Antwoord graag naar petra.smit@ziggo.nl")
    _check(out, [("email", "petra.smit@ziggo.nl")], [])


def test_own_postcode_after_own_address_is_removed(anonymizer: Anonymizer) -> None:
    out = _out(anonymizer, "Ons adres is Lindelaan 4, 6711 AB Ede. Het pand op Lindelaan 10 is verdacht.")
    _check(out, [("address", "Lindelaan 4"), ("other", "6711 AB")], [("address", "Lindelaan 10")])


def test_the_callers_own_plate_is_removed_and_the_suspects_kept(anonymizer: Anonymizer) -> None:
    out = _out(
        anonymizer,
        "Melder rijdt zelf in een blauwe Fiat met kenteken 12-ABC-3 en werd door de verdachte (zwarte BMW, "
        "34-XYZ-5) gevolgd.",
        channel="phone",
    )
    _check(out, [("plate", "12-ABC-3")], [("plate", "34-XYZ-5")])


# --- sign-offs in chats ---


@SETTINGS
@given(
    name=st.sampled_from(FIRST_NAMES),
    closing=st.sampled_from(["groetjes", "xx", "gr", "liefs", "cheers", "mvg", "thanks"]),
    lower=st.booleans(),
    newline=st.booleans(),
)
def test_a_name_after_a_closing_at_the_end_of_a_chat_is_removed(
    anonymizer: Anonymizer, name: str, closing: str, lower: bool, newline: bool
) -> None:
    shown = name.lower() if lower else name
    sep = "\n" if newline else " "
    out = _out(anonymizer, f"er wordt gedeald bij het wilhelminapark door Dikke Dave{sep}{closing} {shown}")
    _check(out, [("name", shown)], [("name", "Dikke Dave")])


def test_chat_greeting_with_hier_introduces_the_reporter(anonymizer: Anonymizer) -> None:
    out = _out(anonymizer, "hier piet, bij de jumbo wordt gedeald door een gozer in een rode jas")
    _check(out, [("name", "piet")], [("other", "rode jas")])


# --- channel identifiers, sign-offs by family, self-naming, references, accounts ---


@SETTINGS
@given(
    area=st.sampled_from(["0492", "0315", "020", "010", "0523"]),
    rest=st.text(alphabet="0123456789", min_size=6, max_size=7),
    sep=st.sampled_from(["-", " ", ""]),
)
def test_a_digit_only_caller_id_is_a_phone_number_not_an_ip_address(
    anonymizer: Anonymizer, area: str, rest: str, sep: str
) -> None:
    number = (area + rest)[:10]
    shown = number[: len(area)] + sep + number[len(area) :]
    out = _out(
        anonymizer,
        f"Er wordt gedeald bij de kiosk. Melder belt terug vanaf {shown}.",
        channel="phone",
        channel_meta={"caller_id": number},
    )
    _check(out, [("phone", number)], [("other", "kiosk")])


@pytest.mark.parametrize("sign", ["fam. Verbeek", "Familie Verbeek", "the Verbeek family"])
def test_a_family_sign_off_is_removed(anonymizer: Anonymizer, sign: str) -> None:
    out = _out(anonymizer, f"Bij de kiosk wordt gedeald door Kleine Joep.\n\nMet vriendelijke groet, {sign}")
    _check(out, [("name", "Verbeek")], [("name", "Kleine Joep")])


@pytest.mark.parametrize(
    "text",
    [
        "Mevrouw belt over de loods. Ze noemde zichzelf {n} en wil teruggebeld worden.",
        "Melder stelde zich voor als {n}. De loods aan de Veldweg wordt 's nachts gebruikt.",
        "Een man belt over de loods. Hij gaf als naam {n} op.",
    ],
)
def test_a_caller_naming_themselves_in_the_third_person_is_removed(anonymizer: Anonymizer, text: str) -> None:
    _check(_out(anonymizer, text.format(n="Yvonne"), channel="phone"), [("name", "Yvonne")], [])


def test_a_scammer_calling_himself_a_name_is_kept(anonymizer: Anonymizer) -> None:
    out = _out(anonymizer, "Mijn moeder werd gebeld door een man. Hij noemde zich Mark de Groot.")
    _check(out, [], [("name", "Mark de Groot")])


@pytest.mark.parametrize(
    "text",
    [
        "My order number was {r} and the shop never answered.",
        "Mijn klantnummer is {r}, de webshop reageert niet.",
        "Ons dossiernummer: {r}.",
    ],
)
def test_the_reporters_own_reference_number_is_removed(anonymizer: Anonymizer, text: str) -> None:
    _check(_out(anonymizer, text.format(r="FD-22871")), [("other", "FD-22871")], [])


def test_money_from_the_victims_account_to_the_scammers(anonymizer: Anonymizer) -> None:
    out = _out(
        anonymizer,
        "Mijn vader maakte 900 euro over van zijn rekening NL64 ABNA 6843 0674 29 naar NL49KNAB0847974575.",
    )
    _check(out, [("iban", "NL64ABNA6843067429")], [("iban", "NL49KNAB0847974575")])


@pytest.mark.parametrize(
    "text",
    [
        "I'm watching from my window across the road at number 80.",
        "Ik kijk vanuit mijn keuken aan de overkant op nummer 80 mee.",
    ],
)
def test_the_house_number_the_reporter_watches_from_is_removed(anonymizer: Anonymizer, text: str) -> None:
    out = _out(anonymizer, f"Two men break into Leusderweg 77. {text}")
    _check(out, [("other", "number 80"), ("other", "nummer 80")], [("address", "Leusderweg 77")])


def test_a_callers_job_in_apposition_is_removed(anonymizer: Anonymizer) -> None:
    out = _out(anonymizer, "Beller, de heer Ten Have, is nachtwaker op het terrein ernaast.", channel="phone")
    _check(out, [("name", "Ten Have"), ("other", "nachtwaker")], [])


def test_a_plate_the_reporter_only_saw_is_kept(anonymizer: Anonymizer) -> None:
    out = _out(anonymizer, "Ik heb een grijze Ford Transit met kenteken VDJ-44-R gezien die afval dumpte.")
    _check(out, [], [("plate", "VDJ-44-R")])


# --- nicknames offered, common-word surnames, jobs, relatives' homes, bilingual sign-offs ---


@pytest.mark.parametrize(
    "text",
    [
        "noem me maar {n}. bij de kiosk wordt gedeald",
        "You can call me {n}. The dealer is called Rico.",
        "hey its {n} here, theres dealing at the kiosk",
    ],
)
def test_a_name_the_reporter_offers_to_be_called_is_removed(anonymizer: Anonymizer, text: str) -> None:
    _check(_out(anonymizer, text.format(n="Sanne")), [("name", "Sanne")], [])


def test_call_me_on_a_number_does_not_make_a_word_a_name(anonymizer: Anonymizer) -> None:
    out = _out(anonymizer, "Call me back later. The dealer Rico stands near the kiosk every night.")
    _check(out, [], [("name", "Rico"), ("other", "near the kiosk every night")])


@pytest.mark.parametrize("surname", ["Bos", "Visser", "Smit", "de Wit", "Ten Have"])
@pytest.mark.parametrize(
    "form", ["Meneer {s} belt over overlast.", "Beller (mevr. {s}) ziet dagelijks busjes."]
)
def test_a_callers_surname_that_is_also_a_word_is_removed(
    anonymizer: Anonymizer, surname: str, form: str
) -> None:
    out = _out(anonymizer, form.format(s=surname) + " Het gaat om de Esdoornlaan 12.", channel="phone")
    _check(out, [("name", surname)], [("address", "Esdoornlaan 12")])


@pytest.mark.parametrize(
    "text,job",
    [
        ("Ik ben buschauffeur op lijn 5 en zie bij de halte een man pakketjes doorgeven.", "buschauffeur"),
        ("Melder werkt als beveiliger bij het station en ziet daar een man dealen.", "beveiliger"),
        ("As the district nurse I visit the house at 3 Mill Lane every week.", "district nurse"),
    ],
)
def test_the_reporters_job_is_removed(anonymizer: Anonymizer, text: str, job: str) -> None:
    _check(_out(anonymizer, text), [("other", job)], [])


def test_the_house_number_after_a_floor_is_removed(anonymizer: Anonymizer) -> None:
    out = _out(
        anonymizer, "Ik woon op de 3e verdieping van dezelfde flat, nummer 45. Op nummer 41 wordt gedeald."
    )
    _check(out, [("other", "nummer 45")], [("other", "nummer 41")])


def test_a_relatives_address_is_removed_and_the_suspects_kept(anonymizer: Anonymizer) -> None:
    out = _out(anonymizer, "Mijn zus woont op de Lindelaan 9, naast het drugspand op nummer 11.")
    _check(out, [("address", "Lindelaan 9")], [("other", "nummer 11")])


def test_a_bilingual_closing_with_a_piped_signature_is_removed(anonymizer: Anonymizer) -> None:
    text = (
        "Er wordt gedumpt bij de Molenweg.\n\n--\nMet vriendelijke groet / Kind regards\n"
        "J. Smit | Teamleider | Transportbedrijf Smit BV\nT +31 (0)523 123 456"
    )
    out = _out(anonymizer, text, channel="email")
    _check(
        out, [("name", "Smit"), ("other", "Teamleider"), ("phone", "0523123456")], [("address", "Molenweg")]
    )


def test_asking_to_be_kept_informed_marks_the_number_as_the_reporters(anonymizer: Anonymizer) -> None:
    out = _out(
        anonymizer, "Melder wil graag per sms op de hoogte gehouden worden: 06 12 34 56 78.", channel="phone"
    )
    _check(out, [("phone", "0612345678")], [])


# --- guards: what looks like a reporter context but is about the subject ---


def test_a_suspect_who_rings_doorbells_is_not_a_caller(anonymizer: Anonymizer) -> None:
    out = _out(anonymizer, "Meneer Jansen belt elke nacht aan bij de buren en verkoopt dan zakjes.")
    _check(out, [], [("name", "Jansen")])


def test_someone_the_reporter_spoke_to_is_not_the_caller(anonymizer: Anonymizer) -> None:
    out = _out(
        anonymizer,
        "Ik heb een gesprek met dhr. Koster gehad, de eigenaar van het pand, en die ontkent alles.",
    )
    _check(out, [], [("name", "Koster")])


def test_in_an_undeclared_work_report_the_employer_is_kept(anonymizer: Anonymizer) -> None:
    out = _out(
        anonymizer,
        "Ik werk bij Schoonmaakbedrijf Glans. Ik krijg geen loonstrook en moet 60 uur werken.",
        category="ondermijning.zwartwerk",
    )
    _check(out, [], [("other", "Schoonmaakbedrijf Glans")])


def test_form_lines_with_a_suspects_name_are_kept(anonymizer: Anonymizer) -> None:
    out = _out(
        anonymizer, "Locatie: Havenstraat 8\nOmschrijving: dealen\nVerdachte: Ronnie\nVoertuig: rode Golf"
    )
    _check(out, [], [("name", "Ronnie"), ("address", "Havenstraat 8"), ("other", "rode Golf")])


def test_a_scammers_account_without_a_possessive_is_kept(anonymizer: Anonymizer) -> None:
    out = _out(anonymizer, "De oplichter vroeg 500 euro op rekening NL49KNAB0847974575 te zetten.")
    _check(out, [], [("iban", "NL49KNAB0847974575")])


def test_a_greeting_with_met_only_introduces_at_the_start_of_a_line(anonymizer: Anonymizer) -> None:
    out = _out(anonymizer, "Hij had een afspraak met Ronnie bij de kiosk.\nmet Sanne hier, ik zag het ook")
    _check(out, [("name", "Sanne")], [("name", "Ronnie")])


# --- phone numbers with wide dashes, labelled contact lines, handles ---

DASHED = ["06 – {a} {b} {c} {d}", "06—{a}{b}{c}{d}", "+31 (0)6 – {a}{b} {c}{d}", "0031–6–{a}{b}{c}{d}"]


@SETTINGS
@given(
    digits=st.text(alphabet="0123456789", min_size=8, max_size=8),
    form=st.sampled_from(DASHED),
    given_in=st.sampled_from(["text", "reporter", "channel"]),
)
def test_a_reporter_phone_with_wide_dashes_is_removed(
    anonymizer: Anonymizer, digits: str, form: str, given_in: str
) -> None:
    shown = form.format(a=digits[:2], b=digits[2:4], c=digits[4:6], d=digits[6:])
    extra: dict[str, Any] = {}
    if given_in == "reporter":
        extra["reporter"] = {"phone": "06" + digits}
    elif given_in == "channel":
        extra["channel_meta"] = {"sender": "+316" + digits}
    out = _out(anonymizer, f"Bij de kiosk wordt gedeald. U kunt mij bereiken op {shown}.", **extra)
    assert "".join(c for c in out["description"] if c.isdigit()).find(digits) < 0
    _check(out, [], [("other", "kiosk")])


def test_labelled_contact_lines_of_the_caller_are_removed(anonymizer: Anonymizer) -> None:
    text = "Overlast bij de Esdoornlaan 12.\nE-mailadres melder: h.bos@ziggo.nl\nTel. melder: 0612345678"
    out = _out(anonymizer, text, channel="phone")
    _check(out, [("email", "h.bos@ziggo.nl"), ("phone", "0612345678")], [("address", "Esdoornlaan 12")])


def test_a_handle_the_reporter_can_be_reached_on_is_removed(anonymizer: Anonymizer) -> None:
    out = _out(anonymizer, "Je kan me bereiken via insta: @sanne.k88. De dealer post als @snelle_jelle.")
    _check(out, [("other", "@sanne.k88")], [("other", "@snelle_jelle")])


def test_a_list_of_suspects_by_name_is_not_a_chat(anonymizer: Anonymizer) -> None:
    out = _out(anonymizer, "Ronnie: dealer, rijdt een rode Golf\nKevin: zijn maatje, altijd met een pitbull")
    _check(out, [], [("name", "Ronnie"), ("name", "Kevin")])


def test_a_single_first_person_chat_message_names_its_sender(anonymizer: Anonymizer) -> None:
    out = _out(anonymizer, "Marieke: ik wil melden dat er bij de kiosk wordt gedeald", channel="whatsapp")
    _check(out, [("name", "Marieke")], [("other", "kiosk")])


def test_in_a_forwarded_two_party_chat_the_opening_speaker_is_the_reporter(anonymizer: Anonymizer) -> None:
    out = _out(anonymizer, "Sanne: heb je het spul?\nRonnie: morgen bij de kiosk, 50 euro\nSanne: ok")
    _check(out, [("name", "Sanne")], [("name", "Ronnie")])


def test_an_english_number_first_home_address_is_removed_and_the_suspects_kept(
    anonymizer: Anonymizer,
) -> None:
    out = _out(anonymizer, "I live at 12 Birch Lane and the dealing happens at number 4.")
    _check(out, [("other", "12 Birch Lane")], [("other", "number 4")])


def test_an_english_call_taker_note_reads_she_as_the_caller(anonymizer: Anonymizer) -> None:
    out = _out(
        anonymizer,
        "Mrs Adams called about a cannabis smell at 4 Birch Lane. She can be reached on 0612345678.",
        channel="phone",
    )
    _check(out, [("name", "Adams"), ("phone", "0612345678")], [("other", "4 Birch Lane")])
