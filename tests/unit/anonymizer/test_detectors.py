"""Unit tests per detector: each rule removes the reporter's value and leaves the subject's."""

from __future__ import annotations

from services.anonymizer.detectors.base import Span, apply_spans, fold, merge_spans
from services.anonymizer.detectors.hints import national_number
from services.anonymizer.domain import Anonymizer

from .conftest import make_raw


def _out(anonymizer: Anonymizer, description: str, **fields: object) -> str:
    return anonymizer.anonymize(make_raw(description, **fields)).description


def test_fold_keeps_offsets_and_drops_accents() -> None:
    assert fold("Esmée Aydın") == "esmee aydin"
    assert len(fold("Ø’ß")) == 3


def test_overlapping_spans_merge_into_the_stronger_kind() -> None:
    merged = merge_spans([Span(0, 5, "name", "t", "r"), Span(3, 9, "signature", "t", "r")])
    assert merged == [Span(0, 9, "signature", "t", "r")]
    assert apply_spans("abcdefghij", merged) == "[ondertekening melder]j"


def test_national_number_is_the_same_for_every_dutch_format() -> None:
    formats = ["06-12345678", "+31 6 1234 5678", "0031612345678", "(06) 1234 5678", "+31 (0)6 12345678"]
    assert {national_number(f) for f in formats} == {"612345678"}


def test_self_introduction_name_is_removed_everywhere(anonymizer: Anonymizer) -> None:
    out = _out(
        anonymizer, "Mijn naam is Joost Verbeek. De man op nummer 4 teelt wiet. Joost wil anoniem blijven."
    )
    assert "Joost" not in out and "Verbeek" not in out
    assert "[naam melder]" in out and "nummer 4" in out


def test_lowercase_chat_introduction_is_recognised(anonymizer: Anonymizer) -> None:
    out = _out(anonymizer, "hoi ik heet kwabena en er wordt gedeald bij de kiosk")
    assert "kwabena" not in out and "kiosk" in out


def test_weak_introduction_needs_a_known_first_name(anonymizer: Anonymizer) -> None:
    out = _out(anonymizer, "Ik ben bang dat er iets gebeurt bij de flat, ik ben Petra.")
    assert "bang" in out and "Petra" not in out


def test_signature_after_closing_is_removed_with_phone_and_address(anonymizer: Anonymizer) -> None:
    text = "Er wordt gedeald bij de Coop.\n\nMet vriendelijke groet,\nKarin Mulder\nSpoorlaan 8\n06-11122233"
    out = _out(anonymizer, text)
    for value in ("Karin", "Mulder", "Spoorlaan 8", "11122233"):
        assert value not in out
    assert out.startswith("Er wordt gedeald bij de Coop.")


def test_thanks_in_a_sentence_is_not_a_signature(anonymizer: Anonymizer) -> None:
    out = _out(anonymizer, "De eigenaar heet Bram.\nBedankt voor jullie hulp met dit pand aan de Wilgenlaan.")
    assert "Bram" in out and "Wilgenlaan" in out


def test_call_taker_names_the_reporter_in_apposition(anonymizer: Anonymizer) -> None:
    out = _out(
        anonymizer, "Melder (dhr. Van Rijn) belt over een hennepgeur. Melder, mevrouw Ouali, belde eerder."
    )
    assert "Van Rijn" not in out and "Ouali" not in out


def test_relatives_names_are_removed_but_neighbours_are_kept(anonymizer: Anonymizer) -> None:
    out = _out(anonymizer, "Mijn dochter Lotte zag het. Mijn buurman Gerrit verkoopt de pillen.")
    assert "Lotte" not in out and "Gerrit" in out


def test_own_address_keeps_a_shared_street_and_drops_the_number(anonymizer: Anonymizer) -> None:
    raw = make_raw(
        "Ik woon zelf op Esdoornstraat 12 en op Esdoornstraat 18 wordt gekweekt.",
        incident={"location": {"street": "Esdoornstraat", "house_number": "18"}},
    )
    out = anonymizer.anonymize(raw).description
    assert "Esdoornstraat 12" not in out and "Esdoornstraat 18" in out
    assert "Esdoornstraat [huisnummer melder]" in out


def test_own_address_in_another_street_is_removed_whole(anonymizer: Anonymizer) -> None:
    out = _out(anonymizer, "Melder woont zelf op Berkenlaan 5, de dump is aan de Veenweg.")
    assert "Berkenlaan" not in out and "Veenweg" in out


def test_reporter_phone_with_callback_cue_is_removed_suspect_phone_kept(anonymizer: Anonymizer) -> None:
    out = _out(anonymizer, "Hij appt klanten vanaf 06-39475810. Bel me gerust op 06 1234 5678.")
    assert "06-39475810" in out and "1234 5678" not in out


def test_reporter_iban_removed_scammer_iban_kept(anonymizer: Anonymizer) -> None:
    out = _out(
        anonymizer, "Betaald van mijn rekening NL91 ABNA 0417 1643 00 naar zijn rekening NL02RABO0123456789."
    )
    assert "NL91" not in out and "NL02RABO0123456789" in out


def test_bsn_given_by_the_caller_is_removed(anonymizer: Anonymizer) -> None:
    out = _out(anonymizer, "Melder gaf zijn BSN op (1112.22.333) zodat het nagekeken kan worden.")
    assert "1112.22.333" not in out and "[BSN melder]" in out


def test_own_plate_removed_suspect_plate_kept(anonymizer: Anonymizer) -> None:
    out = _out(anonymizer, "Mijn eigen auto 57-TRX-2 werd geraakt door een busje met kenteken VT-283-K.")
    assert "57-TRX-2" not in out and "VT-283-K" in out


def test_position_relative_to_reporter_is_removed(anonymizer: Anonymizer) -> None:
    out = _out(anonymizer, "In het appartement boven mij komen elke nacht mannen.")
    assert "boven mij" not in out and "[positie melder]" in out


def test_unique_self_description_is_removed(anonymizer: Anonymizer) -> None:
    out = _out(anonymizer, "Ik ben de enige in de straat met een rolstoel, dus ze weten wie ik ben.")
    assert "rolstoel" not in out


def test_inverted_call_taker_sentence_keeps_the_subject(anonymizer: Anonymizer) -> None:
    out = _out(anonymizer, "Volgens melder is de schuur achter de boerderij dichtgetimmerd.")
    assert "de schuur achter de boerderij" in out


def test_submission_clock_time_in_text_is_removed_incident_times_kept(anonymizer: Anonymizer) -> None:
    out = _out(anonymizer, "[07:11] ze zijn weer bezig, net als gisteren om 21:00 en 05:30")
    assert "07:11" not in out and "21:00" in out and "05:30" in out


def test_channel_profile_name_is_a_reporter_name(anonymizer: Anonymizer) -> None:
    raw = make_raw(
        "groetjes van Anouk, de dealer heet Sjonnie",
        channel="whatsapp",
        channel_meta={"sender": "+31612093847", "profile_name": "Anouk"},
    )
    out = anonymizer.anonymize(raw).description
    assert "Anouk" not in out and "Sjonnie" in out
