"""Reporter values given in the reporter block and channel metadata, with their variants, found anywhere."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import phonenumbers

from services.anonymizer.detectors.base import Span, fold
from services.anonymizer.detectors.names import PARTICLES, NameLookup

EMAIL = re.compile(r"[\w.+%'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Same shape as what an attacker (and the evaluation) reads as one phone number: digits with separators.
# Dashes of every width separate digit groups too ("06 – 12 34 56 78").
DIGIT_RUN = re.compile(r"[+(]?\d[\d\s().\-/–—]{5,}\d")
DASHES = str.maketrans({"–": "-", "—": "-"})
# IPv4, or IPv6 (hex groups with at least two colons): a bare digit string is a phone number, not an IP.
IP_ADDRESS = re.compile(r"^\s*(?:\d{1,3}\.){3}\d{1,3}\s*$|^(?=(?:[0-9a-f]*:){2})[0-9a-f:]{6,}$", re.I)
POSTCODE = re.compile(r"\b(\d{4})\s?([A-Za-z]{2})\b")
ADDRESS = re.compile(
    r"^\s*(?P<street>[^\W\d_][\w'’.\- ]*?)\s*,?\s+(?:nr\.?\s*|nummer\s+|no\.?\s*)?"
    r"(?P<number>\d{1,5})(?:\s*[-/]?\s*(?P<suffix>[a-zA-Z]{1,3}\b|\d{1,3}\b|bis\b|hs\b))?",
    re.UNICODE,
)
HOUSE_NUMBER_WORD = r"(?:huis)?(?:nummer|nr\.?|no\.?|number|#)"


def national_number(value: str) -> str | None:
    """National significant number of a phone number as Dutch reporters write it, or None."""
    digits = re.sub(r"\D", "", value)
    if len(digits) < 7:
        return None
    try:
        parsed = phonenumbers.parse(value.translate(DASHES), "NL")
    except phonenumbers.NumberParseException:
        return digits.lstrip("0") or None
    nsn = phonenumbers.national_significant_number(parsed)
    return nsn if len(nsn) >= 7 else None


@dataclass(frozen=True, slots=True)
class Address:
    street: str
    number: str
    suffix: str | None
    postcode: str | None


@dataclass(slots=True)
class ReporterHints:
    """Everything known to identify this reporter; grows as free text reveals more."""

    full_names: set[str] = field(default_factory=set)
    name_parts: set[str] = field(default_factory=set)
    relative_names: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)
    email_locals: set[str] = field(default_factory=set)
    addresses: list[Address] = field(default_factory=list)
    house_numbers: set[str] = field(default_factory=set)
    postcodes: set[str] = field(default_factory=set)
    compact_values: dict[str, str] = field(default_factory=dict)  # compact IBAN/BSN/plate -> kind

    def add_name(self, name: str, lookup: NameLookup, relative: bool = False) -> None:
        tokens = [t for t in re.split(r"[\s]+", name.strip()) if t]
        if not tokens:
            return
        target = self.relative_names if relative else self.full_names
        target.add(" ".join(tokens))
        if len(tokens) > 1:
            # The surname with its particles ("van den Heuvel", "Oude Luttikhuis") as one sequence.
            target.add(" ".join(tokens[1:]))
        for tok in tokens:
            for piece in {tok, *tok.split("-")}:
                word = piece.strip(".,'’")
                if len(word) >= 3 and word.lower() not in PARTICLES and not _is_initial(word):
                    self.name_parts.add(word)

    def add_phone(self, value: str) -> None:
        nsn = national_number(value)
        if nsn:
            self.phones.add(nsn)

    def add_email(self, value: str) -> None:
        email = value.strip().lower()
        self.emails.add(email)
        local = email.split("@", 1)[0]
        if len(local) >= 4 and re.search(r"[a-z]", local):
            self.email_locals.add(local)

    def add_address(self, value: str) -> None:
        for pc in POSTCODE.finditer(value):
            self.postcodes.add(f"{pc.group(1)}{pc.group(2).upper()}")
        m = ADDRESS.match(POSTCODE.sub(" ", value))
        if m:
            suffix = m.group("suffix")
            self.addresses.append(
                Address(
                    m.group("street").strip(" ,."),
                    m.group("number"),
                    suffix.lower() if suffix else None,
                    None,
                )
            )
            self.house_numbers.add(m.group("number") + (suffix.lower() if suffix else ""))

    def add_house_number(self, number: str) -> None:
        self.house_numbers.add(re.sub(r"\s+", "", number.lower()))

    def add_compact(self, value: str, kind: str) -> None:
        self.compact_values[re.sub(r"[^A-Z0-9]", "", value.upper())] = kind


def _is_initial(word: str) -> bool:
    return bool(re.fullmatch(r"(?:[A-Za-z]\.?){1,3}", word))


def hints_from_reporter(
    reporter: Mapping[str, object] | None, channel_meta: Mapping[str, str], lookup: NameLookup
) -> ReporterHints:
    """Collect the structured reporter values: the reporter block and every channel identifier."""
    hints = ReporterHints()
    rep = reporter or {}
    if isinstance(rep.get("name"), str):
        hints.add_name(str(rep["name"]), lookup)
    if isinstance(rep.get("email"), str):
        for e in EMAIL.findall(str(rep["email"])):
            hints.add_email(e)
    if isinstance(rep.get("phone"), str):
        hints.add_phone(str(rep["phone"]))
    if isinstance(rep.get("address"), str):
        hints.add_address(str(rep["address"]))
    for key, value in channel_meta.items():
        _add_channel_value(hints, key.lower(), str(value), lookup)
    return hints


def _add_channel_value(hints: ReporterHints, key: str, value: str, lookup: NameLookup) -> None:
    if IP_ADDRESS.match(value):
        return  # dropped with channel_meta; never appears in report text
    emails = EMAIL.findall(value)
    for e in emails:
        hints.add_email(e)
    rest = EMAIL.sub(" ", value).strip(" <>\"'()")
    if re.search(r"\d{6,}", re.sub(r"[\s().\-/]", "", rest)):
        hints.add_phone(rest)
        return
    words = re.findall(r"[^\W\d_][\w'’\-]*", rest)
    named_key = any(k in key for k in ("name", "profile", "display", "from", "sender", "contact", "user"))
    if words and len(words) <= 5 and (named_key or emails):
        hints.add_name(" ".join(words), lookup)


# --- finding the values in text ---------------------------------------------------------------


def _word_pattern(value: str) -> str:
    """Accent- and case-free pattern for a name or street with flexible spaces and hyphens."""
    pieces = [re.escape(p) for p in re.split(r"[\s\-]+", fold(value)) if p]
    return r"[\s\-]+".join(pieces)


def find_hint_spans(
    text: str, hints: ReporterHints, lookup: NameLookup, subject_streets: set[str] | None = None
) -> list[Span]:
    """Every occurrence of a known reporter value in ``text``.

    A reporter address in a street the report is about loses its number only: the street is a subject fact.
    """
    folded = fold(text)
    spans: list[Span] = []
    spans += _find_emails(folded, hints)
    spans += _find_names(text, folded, hints, lookup)
    spans += _find_phones(text, hints.phones, "hints", "reporter-phone")
    spans += _find_addresses(folded, hints, subject_streets or set())
    spans += _find_compact(text, hints.compact_values)
    return spans


def _find_emails(folded: str, hints: ReporterHints) -> list[Span]:
    spans = []
    for email in hints.emails:
        for m in re.finditer(re.escape(fold(email)), folded):
            spans.append(Span(m.start(), m.end(), "email", "hints", "reporter-email"))
    for local in hints.email_locals:
        for m in re.finditer(rf"(?<![\w]){re.escape(fold(local))}(?![\w])", folded):
            spans.append(Span(m.start(), m.end(), "email", "hints", "reporter-email-local-part"))
    return spans


def _find_names(text: str, folded: str, hints: ReporterHints, lookup: NameLookup) -> list[Span]:
    spans = []
    groups: list[tuple[Iterable[str], str, str]] = [
        (hints.full_names, "name", "reporter-name"),
        (hints.relative_names, "relative_name", "relative-name"),
    ]
    for values, kind, rule in groups:
        for value in values:
            if len(value) < 3:
                continue
            pattern = rf"(?<![\w]){_word_pattern(value)}(?:['’]?s)?(?![\w])"
            for m in re.finditer(pattern, folded):
                spans.append(Span(m.start(), m.end(), kind, "hints", rule))
    for part in hints.name_parts:
        kind = "relative_name" if _is_relative_part(part, hints) else "name"
        pattern = rf"(?<![\w]){_word_pattern(part)}(?:['’]?s)?(?![\w])"
        common = lookup.is_common(part)
        for m in re.finditer(pattern, folded):
            # A name part that is also a word ("Bakker", "Oude") is only a name when capitalised.
            if common and not text[m.start()].isupper():
                continue
            spans.append(Span(m.start(), m.end(), kind, "hints", "reporter-name-part"))
    return spans


def _is_relative_part(part: str, hints: ReporterHints) -> bool:
    return any(part in r.split() for r in hints.relative_names) and not any(
        part in n.split() for n in hints.full_names
    )


def _find_phones(text: str, numbers: set[str], detector: str, rule: str) -> list[Span]:
    spans: list[Span] = []
    if not numbers:
        return spans
    for m in DIGIT_RUN.finditer(text):
        located = locate_number(text, m.start(), m.end(), numbers)
        if located:
            spans.append(Span(located[0], located[1], "phone", detector, rule))
    return spans


def locate_number(text: str, start: int, end: int, numbers: set[str]) -> tuple[int, int] | None:
    """Offsets of one of ``numbers`` (national digits) in the digit run text[start:end], prefix included."""
    positions = [i for i in range(start, end) if text[i].isdigit()]
    digits = "".join(text[i] for i in positions)
    for nsn in numbers:
        at = digits.find(nsn)
        if at < 0:
            continue
        first = at
        for prefix in ("0031", "310", "31", "0"):
            if digits[:at].endswith(prefix):
                first = at - len(prefix)
                break
        s, e = positions[first], positions[at + len(nsn) - 1] + 1
        while s > start and text[s - 1] in "+(":
            s -= 1
        if s > start and text[s - 1] == "(" or (e < end and text[e] == ")"):
            e = min(end, e + 1) if e < end and text[e] == ")" else e
        return s, e
    return None


def _find_addresses(folded: str, hints: ReporterHints, subject_streets: set[str]) -> list[Span]:
    spans = []
    for addr in hints.addresses:
        shared = fold(addr.street) in subject_streets
        street = _word_pattern(addr.street)
        if street.endswith("straat"):
            street = street[: -len("straat")] + r"str(?:aat|\.)?"
        number = re.escape(addr.number) + (
            rf"\s*[-/]?\s*{re.escape(fold(addr.suffix))}" if addr.suffix else ""
        )
        tail = r"(?![\w])(?!\s?[-/]?\s?[a-z]\b)" if not addr.suffix else r"(?![\w])"
        pattern = rf"(?<![\w]){street}\s*,?\s*(?P<number>(?:{HOUSE_NUMBER_WORD}\s*)?{number}){tail}"
        for m in re.finditer(pattern, folded):
            if shared:
                spans.append(
                    Span(m.start("number"), m.end(), "house_number", "hints", "reporter-house-number")
                )
            else:
                spans.append(Span(m.start(), m.end(), "address", "hints", "reporter-address"))
    for hn in hints.house_numbers:
        m_num = re.match(r"(\d+)(.*)", hn)
        if not m_num:
            continue
        num, suffix = m_num.group(1), m_num.group(2)
        suffix_pat = rf"\s*[-/]?\s*{re.escape(suffix)}" if suffix else r"(?!\s?[-/]?\s?[a-z]\b)"
        pattern = rf"(?<![\w]){HOUSE_NUMBER_WORD}\s*{re.escape(num)}{suffix_pat}(?![\w])"
        for m in re.finditer(pattern, folded):
            spans.append(Span(m.start(), m.end(), "house_number", "hints", "reporter-house-number"))
    for pc in hints.postcodes:
        for m in re.finditer(rf"(?<![\w]){pc[:4]}\s?{pc[4:].lower()}(?![\w])", folded):
            spans.append(Span(m.start(), m.end(), "postcode", "hints", "reporter-postcode"))
    return spans


COMPACT_CANDIDATE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|[\s.\-](?=[A-Za-z0-9])){4,40}")


def _find_compact(text: str, values: dict[str, str]) -> list[Span]:
    """IBANs, BSNs and plates already known to be the reporter's, in any spacing."""
    spans = []
    for value, kind in values.items():
        chars = [(i, c.upper()) for i, c in enumerate(text) if c.isalnum()]
        joined = "".join(c for _, c in chars)
        at = joined.find(value)
        while at >= 0:
            s, e = chars[at][0], chars[at + len(value) - 1][0] + 1
            spans.append(Span(s, e, kind, "hints", f"reporter-{kind}"))
            at = joined.find(value, at + 1)
    return spans
