"""Person-name recognition from deduce's Dutch name lookups, used only inside reporter contexts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from services.anonymizer.detectors.lexicon import Lexicon

Mode = Literal["strong", "weak", "signature"]

TOKEN = re.compile(r"[^\W\d_](?:[^\W\d_]|['’\-](?=[^\W\d_]))*\.?")
INITIALS = re.compile(r"(?:[A-Z]\.){1,4}")
# Between two tokens of one name: one space (or a line-free run of spaces).
GAP = re.compile(r"[ \t]{1,3}")
# Surname particles that are not a name on their own ("van", "de", "El", "Oude").
PARTICLES = frozenset(
    "van de der den het ter ten te op in uit 't t' d' la le du da di del della von zu zur el al ben bin "
    "abu ibn oude mc mac st. saint o' dos das do".split()
)


@dataclass(frozen=True, slots=True)
class NameMatch:
    start: int
    end: int
    parts: tuple[str, ...]


class NameLookup:
    """Answers "is this token a person name?" from deduce's lookup structures."""

    def __init__(self, lookup_structs: Any, lexicon: Lexicon) -> None:
        self._first = lookup_structs["first_name"]
        self._surname = lookup_structs["surname"]
        common = set(lookup_structs["common_word"].items()) | set(lookup_structs["stop_word"].items())
        self._common = frozenset(w.lower() for w in common) | lexicon.stop_words
        # Function words end a name even when capitalised; nouns ("Bos", "Visser") may be surnames.
        self._function = (
            frozenset(w.lower() for w in lookup_structs["stop_word"].items()) | lexicon.stop_words
        )
        honorifics = "|".join(sorted((_src(h) for h in lexicon.honorifics), key=len, reverse=True))
        self._honorifics = re.compile(rf"(?:{honorifics})$", re.I)
        self._honorific_at = re.compile(rf"(?:{honorifics})(?<=\.)\s*|(?:{honorifics})\b\s+", re.I)

    def is_first_name(self, token: str) -> bool:
        return [token] in self._first or [token.capitalize()] in self._first

    def is_surname(self, token: str) -> bool:
        return [token] in self._surname or [token.capitalize()] in self._surname

    def is_known_name(self, token: str) -> bool:
        return self.is_first_name(token) or self.is_surname(token)

    def is_common(self, token: str) -> bool:
        return token.lower().strip(".") in self._common

    def is_honorific(self, token: str) -> bool:
        return bool(self._honorifics.match(token))

    def capture(self, text: str, pos: int, mode: Mode) -> NameMatch | None:
        """The person name starting at ``pos`` (after spaces and an honorific), or None.

        strong: any non-function word counts (the context says a name follows, chat may be lower-case);
        weak: the first token must be a known first name; signature: capitalised words or known names.
        """
        i = _skip_spaces(text, pos)
        honorific = self._honorific_at.match(text, i)
        if honorific:
            i = honorific.end()
        start = i
        parts: list[str] = []
        pending: list[str] = []
        end = i
        while len(parts) < 5:
            m = INITIALS.match(text, i) or TOKEN.match(text, i)
            if not m:
                break
            tok = m.group()
            is_initials = bool(INITIALS.fullmatch(tok))
            word = tok if is_initials else tok.rstrip(".")
            if word.lower() in PARTICLES and (parts or word[0].isupper() or honorific is not None):
                pending.append(word)
            elif self._accepts(word, mode, first=not parts, after_honorific=honorific is not None) or (
                # A capitalised surname after its particle ("Ten Have", "Van Dam") even if it is a word.
                pending and pending[-1][0].isupper() and word[:1].isupper() and len(word) >= 3
            ):
                parts.extend(pending)
                pending = []
                parts.append(word)
                end = m.start() + len(word)
            else:
                break
            if tok.endswith(".") and not is_initials:
                break
            nxt = _after_gap(text, m.end())
            if nxt is None:
                break
            i = nxt
        if not parts:
            return None
        return NameMatch(start, end, tuple(parts))

    def _accepts(self, word: str, mode: Mode, *, first: bool, after_honorific: bool) -> bool:
        if INITIALS.fullmatch(word):
            return not first or after_honorific or mode != "weak"
        capitalised = word[0].isupper()
        if len(word) < 2 or word.lower() in self._function:
            return False
        if after_honorific and capitalised:
            return True  # "Meneer Bos", "mevr. Visser": a surname that is also a word
        if self.is_common(word) and (first or not capitalised or mode == "weak"):
            return False
        if mode == "strong" or after_honorific:
            return True
        if mode == "weak":
            if first:
                return self.is_first_name(word) and (capitalised or not self.is_common(word))
            return capitalised or self.is_surname(word)
        # signature
        return capitalised or self.is_known_name(word)


def _src(entry: str | dict[str, str]) -> str:
    return entry["regex"] if isinstance(entry, dict) else entry


def _skip_spaces(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t,:(":
        i += 1
    return i


def _after_gap(text: str, i: int) -> int | None:
    m = GAP.match(text, i)
    if m:
        return m.end()
    if i < len(text) and text[i] == "-":
        return i + 1
    return None
