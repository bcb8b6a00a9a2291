"""Whose value is this? Decides from the words before (and just after) a number in its sentence."""

from __future__ import annotations

import re
from typing import Literal

from services.anonymizer.detectors.base import clause_end, clause_start
from services.anonymizer.detectors.lexicon import Lexicon

Owner = Literal["reporter", "subject"] | None

AFTER_REPORTER = re.compile(
    r"^[\s,)(]*(?:\(|-|,)?\s*(?:is|=)?\s*(?:mijn|mn|m['’]n|my|van mij|mine|van ons)\b", re.IGNORECASE
)


QUOTED = re.compile(r"(?<!\w)['‘\"“][^'’\"”\n]{3,200}['’\"”](?!\w)")

PRONOUN = re.compile(r"\b(?:zijn|haar|z['’]n|d['’]r|hij|zij|ze|hem|his|her|he|she|him)\b", re.IGNORECASE)
# Same-length stand-ins keep the offsets of later cues in the window valid.
FIRST_PERSON = {
    "zijn": "mijn",
    "haar": "mijn",
    "z'n": "m'n",
    "z’n": "m’n",
    "d'r": "m'n",
    "d’r": "m’n",
    "hij": "ik ",
    "zij": "ik ",
    "ze": "ik",
    "hem": "mij",
    "his": "my ",
    "her": "my ",
    "he": "I ",
    "she": "I  ",
    "him": "me ",
}


class OwnershipJudge:
    """Reads ownership cues from the lexicon: a first-person cue makes the value the reporter's."""

    def __init__(self, lexicon: Lexicon) -> None:
        self._cues = lexicon.cue_patterns
        self._weak = lexicon.weak_cue_patterns
        self._subject = lexicon.subject_cue_pattern
        callers = "|".join(sorted((re.escape(w) for w in lexicon.caller_words), key=len, reverse=True))
        self._caller = re.compile(rf"\b(?:{callers})\b", re.IGNORECASE)
        self._opening = lexicon.compile(lexicon.call_taker_opening)

    def owner(self, text: str, start: int, end: int, kind: str, floor: int = 0) -> Owner:
        """``reporter`` or ``subject`` when the sentence says so, else None."""
        w_start = clause_start(text, start, floor)
        # Quoted speech is someone else's voice ("'dit is mn nieuwe nummer' vanaf 06-..."): blank it out.
        window = QUOTED.sub(lambda m: " " * len(m.group()), text[w_start:start])
        after = text[end : min(clause_end(text, end), end + 40)]
        if AFTER_REPORTER.match(after):
            return "reporter"
        if self._caller.search(window) or self._opening.search(text):
            # Call-taker text speaks of the reporter in the third person ("Melder gaf zijn BSN op",
            # "bereikbaar op haar mobiel"): read its pronouns as first person.
            window = PRONOUN.sub(lambda m: FIRST_PERSON.get(m.group().lower(), m.group()), window)
        reporter_at = self._last(self._cues.get(kind), window)
        subject_at = self._last(self._subject, window)
        if reporter_at < 0 and subject_at < 0:
            # A weak cue ("bereikbaar op") speaks for the reporter only when no one else is named first.
            return "reporter" if self._last(self._weak.get(kind), window) >= 0 else None
        return "reporter" if reporter_at >= subject_at else "subject"

    @staticmethod
    def _last(pattern: re.Pattern[str] | None, window: str) -> int:
        if pattern is None:
            return -1
        last = -1
        for m in pattern.finditer(window):
            last = m.end()
        return last
