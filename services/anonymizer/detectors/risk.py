"""Re-identification risk of what remains after redaction: reasons with weights, combined noisy-or."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from services.anonymizer.detectors.base import fold
from services.anonymizer.detectors.lexicon import Lexicon

REASON_TEXT = {
    "relation:neighbour": "reporter is a neighbour of the subject",
    "relation:work": "reporter works or worked with or for the subject",
    "relation:family": "reporter is family or an ex-partner of the subject",
    "relation:landlord": "landlord or tenant relation with the subject",
    "relation:customer": "reporter is a customer of the subject",
    "relation:victim": "reporter is the victim: the subject knows them",
    "relation:professional": "reporter meets the subject through their job",
    "relation:owner": "reporter owns the place of the incident",
    "relation:resident": "reporter lives in the area",
    "relation:witness": "reporter witnessed it",
    "relation:other": "other relation to the subject",
    "proximity:same-street": "reporter lives in the subject's street (house number removed)",
    "proximity:adjacent": "reporter's position relative to the subject was stated (above/next to)",
    "detail:direct-contact": "first-person contact with the subject that only the reporter knows",
    "detail:self-description": "reporter described themselves (removed)",
    "detail:unique": "reporter stated a unique trait ('the only one ...')",
    "detail:insider": "first-person insider knowledge (worked there)",
    "place:small": "a small place where people know each other",
    "identifiers:many-removed": "many reporter identifiers were in the text",
    "attachment:metadata": "an attachment carried identifying metadata (removed)",
}


@dataclass(frozen=True, slots=True)
class RiskResult:
    score: float
    reasons: tuple[str, ...]


class RiskScorer:
    """Scores a redacted report; the weights live in the lexicon file."""

    def __init__(self, lexicon: Lexicon) -> None:
        self._weights = lexicon.risk_weights
        self._stated = {k.lower(): v for k, v in lexicon.stated_relations.items()}
        # "mijn collega", "my boss": a relation is the reporter's only with a first-person possessive.
        # Neighbours are always someone's neighbours, and in a report that someone is the reporter
        # ("de buren boven me"); entries in the first person ("ik werk daar") stand alone too.
        possessive = "|".join(re.escape(w) for w in lexicon.first_person_possessive)

        def term(code: str, word: str) -> str:
            if code == "neighbour" or re.match(r"(?:ik|i|we|wij)\s", word):
                return re.escape(word)
            return rf"(?:{possessive})\s+(?:\w+\s+)?{re.escape(word)}"

        self._relation_words = {
            code: re.compile(
                r"\b(?:" + "|".join(term(code, w) for w in sorted(words, key=len, reverse=True)) + r")\b",
                re.IGNORECASE,
            )
            for code, words in lexicon.relation_words.items()
        }
        self._direct = lexicon.compile(lexicon.direct_contact)
        self._small_place = lexicon.compile(lexicon.small_place_words)
        self._insider = re.compile(
            r"\b(?:ik|wij|we|melder|i)\b[^.!?\n]{0,40}\b(?:werk|werkte|gewerkt|work|worked|working)\b"
            r"|\[beschrijving melder\] gewerkt",
            re.IGNORECASE,
        )

    def assess(
        self,
        *,
        relation: str | None,
        texts: Iterable[str],
        found_kinds: list[str],
        found_rules: list[str],
        same_street: bool,
        attachment_metadata: bool,
    ) -> RiskResult:
        codes: list[str] = []
        if relation:
            code = self._stated.get(relation.strip().lower())
            codes.append(code or "relation:other")
        joined = "\n".join(texts)
        for code, pattern in self._relation_words.items():
            if pattern.search(joined):
                codes.append(f"relation:{code}")
        if same_street:
            codes.append("proximity:same-street")
        if "position" in found_kinds:
            codes.append("proximity:adjacent")
        if self._direct.search(joined):
            codes.append("detail:direct-contact")
        if "self_description" in found_kinds:
            codes.append("detail:self-description")
        if "unique-self-description" in found_rules or re.search(r"\b(?:de enige|the only)\b", fold(joined)):
            codes.append("detail:unique")
        if self._insider.search(joined):
            codes.append("detail:insider")
        if self._small_place.search(joined):
            codes.append("place:small")
        if len([k for k in found_kinds if k not in ("timestamp",)]) >= 4:
            codes.append("identifiers:many-removed")
        if attachment_metadata:
            codes.append("attachment:metadata")
        unique = list(dict.fromkeys(codes))
        remaining = 1.0
        for code in unique:
            remaining *= 1.0 - self._weights.get(code, 0.1)
        score = round(1.0 - remaining, 3)
        return RiskResult(score, tuple(f"{c}: {REASON_TEXT.get(c, c)}" for c in unique))
