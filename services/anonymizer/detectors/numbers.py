"""Phone numbers, e-mail addresses, IBANs, BSNs and licence plates in free text, with their owner."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import phonenumbers
from stdnum import iban as stdnum_iban
from stdnum.nl import bsn as stdnum_bsn

from services.anonymizer.detectors.hints import DASHES, DIGIT_RUN, EMAIL, national_number
from services.anonymizer.detectors.ownership import Owner, OwnershipJudge

IBAN_START = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?=[\sA-Za-z0-9])")
BSN_CANDIDATE = re.compile(r"(?<![\d.\-])\d(?:[ .\-]?\d){8}(?![\d])")
BSN_WORDS = re.compile(
    r"\b(?:bsn|burgerservicenummer|sofi-?nummer|sofinr|citizen service number|social security)\b",
    re.IGNORECASE,
)
PLATE = re.compile(
    r"(?<![\w-])(?:[A-Za-z]{1,3}|\d{1,3})-(?:[A-Za-z]{1,3}|\d{1,3})-(?:[A-Za-z]{1,3}|\d{1,3})(?![\w-])"
)
HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_.]{3,30}\b")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A value in free text and who it belongs to (None: nothing in the sentence says)."""

    start: int
    end: int
    kind: str
    value: str
    owner: Owner


def phones(text: str, judge: OwnershipJudge) -> Iterator[Candidate]:
    prev = 0
    for m in DIGIT_RUN.finditer(text):
        s, e = _trim(text, m.start(), m.end())
        raw = text[s:e]
        if not _looks_like_phone(raw):
            continue
        yield Candidate(s, e, "phone", raw, judge.owner(text, s, e, "phone", prev))
        prev = e


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in " (":
        s += 1
    while e > s and text[e - 1] in " )":
        e -= 1
    if s > 0 and text[s - 1] == "(" and ")" in text[s:e]:
        s -= 1
    return s, e


def _looks_like_phone(raw: str) -> bool:
    digits = re.sub(r"\D", "", raw)
    # "6 1234 5678": a national number written without its trunk zero.
    bare_national = len(digits) == 9 and digits[0] != "0" and not raw.startswith(("(", "+"))
    if not (raw.startswith("+") or digits.startswith("0") or bare_national):
        return False
    if not 9 <= len(digits) <= 15:
        return False
    try:
        parsed = phonenumbers.parse(raw.translate(DASHES), "NL")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_possible_number(parsed)


def emails(text: str, judge: OwnershipJudge) -> Iterator[Candidate]:
    prev = 0
    for m in EMAIL.finditer(text):
        yield Candidate(
            m.start(), m.end(), "email", m.group(), judge.owner(text, m.start(), m.end(), "email", prev)
        )
        prev = m.end()


def handles(text: str, judge: OwnershipJudge) -> Iterator[Candidate]:
    for m in HANDLE.finditer(text):
        if text[max(0, m.start() - 1) : m.start()].isalnum():
            continue
        yield Candidate(
            m.start(), m.end(), "handle", m.group(), judge.owner(text, m.start(), m.end(), "handle")
        )


def ibans(text: str, judge: OwnershipJudge) -> Iterator[Candidate]:
    prev = 0
    for m in IBAN_START.finditer(text):
        found = _longest_valid_iban(text, m.start())
        if found is None:
            continue
        end, compact = found
        yield Candidate(m.start(), end, "iban", compact, judge.owner(text, m.start(), end, "iban", prev))
        prev = end


def _longest_valid_iban(text: str, start: int) -> tuple[int, str] | None:
    chars: list[tuple[int, str]] = []
    i = start
    while i < len(text) and len(chars) < 34:
        c = text[i]
        if c.isalnum():
            chars.append((i, c.upper()))
        elif not (c == " " and i + 1 < len(text) and text[i + 1].isalnum()):
            break
        i += 1
    for n in range(len(chars), 14, -1):
        compact = "".join(c for _, c in chars[:n])
        if stdnum_iban.is_valid(compact):
            return chars[n - 1][0] + 1, compact
    # A Dutch IBAN with a typo is still the reporter's account when the sentence says so.
    compact = "".join(c for _, c in chars[:18])
    if re.fullmatch(r"NL\d{2}[A-Z]{4}\d{10}", compact):
        return chars[17][0] + 1, compact
    return None


def bsns(text: str, judge: OwnershipJudge) -> Iterator[Candidate]:
    """Valid BSNs (elfproef) that the sentence calls a BSN, or that are written in BSN grouping."""
    for m in BSN_CANDIDATE.finditer(text):
        compact = re.sub(r"\D", "", m.group())
        if not stdnum_bsn.is_valid(compact):
            continue
        window = text[max(0, m.start() - 60) : m.start()]
        grouped = re.fullmatch(r"\d{4}\.\d{2}\.\d{3}|\d{3}[.\s]\d{3}[.\s]\d{3}", m.group()) is not None
        if not (BSN_WORDS.search(window) or grouped):
            continue
        yield Candidate(m.start(), m.end(), "bsn", compact, judge.owner(text, m.start(), m.end(), "bsn"))


def plates(text: str, judge: OwnershipJudge) -> Iterator[Candidate]:
    prev = 0
    for m in PLATE.finditer(text):
        groups = m.group().split("-")
        compact = "".join(groups).upper()
        if not (6 <= len(compact) <= 8) or not re.search(r"[A-Z]", compact) or not re.search(r"\d", compact):
            continue
        if any(not (g.isalpha() or g.isdigit()) for g in groups):
            continue
        if m.group() != m.group().upper() and m.group() != m.group().lower():
            continue
        yield Candidate(
            m.start(), m.end(), "plate", compact, judge.owner(text, m.start(), m.end(), "plate", prev)
        )
        prev = m.end()


def phone_key(value: str) -> str | None:
    return national_number(value)
