"""Shared types of the detectors: a span of text to replace and what it stands for."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from dataclasses import field as dataclass_field

# Replacement tokens a partner sees: typed, readable, never the value.
LABELS: dict[str, str] = {
    "name": "[naam melder]",
    "relative_name": "[naam naaste melder]",
    "third_name": "[naam]",
    "phone": "[telefoon melder]",
    "email": "[e-mail melder]",
    "handle": "[account melder]",
    "address": "[adres melder]",
    "house_number": "[huisnummer melder]",
    "postcode": "[postcode melder]",
    "plate": "[kenteken melder]",
    "bsn": "[BSN melder]",
    "iban": "[rekening melder]",
    "self_description": "[beschrijving melder]",
    "reference": "[kenmerk melder]",
    "position": "[positie melder]",
    "signature": "[ondertekening melder]",
    "timestamp": "[tijdstip melding]",
}

# When two spans overlap the merged span takes the kind ranked first here.
KIND_PRIORITY: tuple[str, ...] = (
    "signature",
    "address",
    "email",
    "phone",
    "iban",
    "bsn",
    "plate",
    "reference",
    "handle",
    "name",
    "relative_name",
    "third_name",
    "house_number",
    "postcode",
    "self_description",
    "position",
    "timestamp",
)


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch ``text[start:end]`` that identifies the reporter."""

    start: int
    end: int
    kind: str
    detector: str
    rule: str


@dataclass(frozen=True, slots=True)
class Finding:
    """What was removed from one field, for the redaction summary and ``--explain``.

    ``value`` is only read by the operator's ``--explain`` dry run; nothing else may print it.
    """

    field: str
    kind: str
    detector: str
    rule: str
    value: str = dataclass_field(repr=False)


@dataclass(slots=True)
class Discovered:
    """Reporter values found in free text, to be removed wherever else they occur."""

    names: set[str] = dataclass_field(default_factory=set)
    phones: set[str] = dataclass_field(default_factory=set)
    emails: set[str] = dataclass_field(default_factory=set)
    addresses: set[str] = dataclass_field(default_factory=set)
    house_numbers: set[str] = dataclass_field(default_factory=set)
    plates: set[str] = dataclass_field(default_factory=set)


def fold(text: str) -> str:
    """Lower-case, accent-free copy of ``text`` with the same length, so offsets carry over."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFD", ch)[0]
        if ch in _SPECIAL_FOLDS:
            base = _SPECIAL_FOLDS[ch]
        low = base.lower()
        out.append(low if len(low) == 1 else base)
    return "".join(out)


_SPECIAL_FOLDS = {"ı": "i", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "’": "'", "‘": "'"}


def merge_spans(spans: list[Span]) -> list[Span]:
    """Union overlapping spans; a merged span keeps the highest-priority kind."""
    if not spans:
        return []
    rank = {k: i for i, k in enumerate(KIND_PRIORITY)}
    ordered = sorted(spans, key=lambda s: (s.start, -s.end))
    merged: list[Span] = [ordered[0]]
    for span in ordered[1:]:
        last = merged[-1]
        if span.start < last.end:
            best = last if rank.get(last.kind, 99) <= rank.get(span.kind, 99) else span
            merged[-1] = Span(last.start, max(last.end, span.end), best.kind, best.detector, best.rule)
        else:
            merged.append(span)
    return merged


def apply_spans(text: str, spans: list[Span]) -> str:
    """Replace each (merged, sorted) span by its label."""
    parts: list[str] = []
    pos = 0
    for span in spans:
        parts.append(text[pos : span.start])
        parts.append(LABELS[span.kind])
        pos = span.end
    parts.append(text[pos:])
    out = "".join(parts)
    # Adjacent labels of one kind read as one ("[telefoon melder] [telefoon melder]").
    return re.sub(r"(\[[^\]]+\])(?:[\s,;]*\1)+", r"\1", out)


SENTENCE_END = re.compile(
    r"(?<!\btel)(?<!\bnr)(?<!\bdhr)(?<!\bmevr)(?<!\bmw)(?<!\bmr)(?<!\bno)(?<!\bca)(?<!\bbijv)(?<!\bo\.a)"
    r"[.!?](?=\s)|\n",
    re.IGNORECASE,
)


def clause_start(text: str, pos: int, floor: int = 0) -> int:
    """Offset where the sentence holding ``pos`` starts (not before ``floor``)."""
    start = floor
    for m in SENTENCE_END.finditer(text, floor, pos):
        start = m.end()
    return start


def clause_end(text: str, pos: int) -> int:
    m = SENTENCE_END.search(text, pos)
    return m.start() if m else len(text)
