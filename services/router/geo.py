"""Municipality resolution: incident location (city, village, postcode, alias) or the text → CBS gemeente.

Built on the CBS 2026 tables in ``data/nl-geo`` plus a small alias file; a name shared by several
municipalities is resolved with other clues (postcode, province, other places named) or left ambiguous.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Indel

from contracts.intake import Location

DATA_DIR = Path(__file__).resolve().parent / "data"
GEO_DIR = DATA_DIR / "nl-geo"

How = Literal["postcode", "city", "alias", "municipality", "fuzzy", "description", "none"]

_PARENS_SUFFIX = re.compile(r"\s*\([^)]*\)\s*$")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_POSTCODE = re.compile(r"\b([1-9]\d{3})\s?([A-Za-z]{2})?\b")
# In free text only a full postcode counts: a bare four-digit number is too often a year or an amount.
_POSTCODE_IN_TEXT = re.compile(r"\b([1-9]\d{3})(?:\s?([A-Z]{2})|([a-z]{2}))\b")
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_MAX_NAME_TOKENS = 5

# Words that put a place name in the sentence as the place where something is or happens.
_STRONG_PREPOSITIONS = frozenset(
    {
        "in",
        "te",
        "bij",
        "nabij",
        "vlakbij",
        "omgeving",
        "centrum",
        "near",
        "at",
        "op",
        "rond",
        "rondom",
        "around",
        "outside",
        "buiten",
        "gemeente",
        "regio",
        "municipality",
        "hier",
        "here",
        "vanuit",
    }
)
# After these a lowercase name that is also an everyday word still reads as the place: "in leiden".
_LOWERCASE_PLACE_PREPOSITIONS = frozenset({"in", "nabij", "vlakbij", "omgeving", "near", "around", "outside"})
# "van"/"of" is a place preposition after a place noun: "in de buurt van Sneek", "het station van Amersfoort".
_PLACE_NOUNS = frozenset(
    {
        "buurt",
        "omgeving",
        "station",
        "centrum",
        "center",
        "centre",
        "gemeente",
        "regio",
        "rand",
        "haven",
        "markt",
        "city",
        "town",
        "village",
        "dorp",
        "stad",
        "zuiden",
        "noorden",
        "oosten",
        "westen",
        "outskirts",
        "area",
        "municipality",
        "binnenstad",
        "kern",
        "wijk",
        "buitenwijk",
        "industrieterrein",
        "bedrijventerrein",
    }
)
# Words that name a place the incident is *not* at (a direction or an origin).
_WEAK_PREPOSITIONS = frozenset({"uit", "van", "from", "of"})
_EXCLUDING_PREPOSITIONS = frozenset({"richting", "naar", "towards", "to", "via", "into"})
_ARTICLES = frozenset({"de", "het", "the", "t"})
# A place name right after these is a person's surname: "meneer Haren", "familie Van Dalen".
_HONORIFICS = frozenset(
    {
        "meneer",
        "mevrouw",
        "mevr",
        "mw",
        "mr",
        "mrs",
        "ms",
        "dhr",
        "heer",
        "familie",
        "fam",
        "juffrouw",
        "dokter",
        "dr",
        "ir",
        "ing",
        "agent",
        "oom",
        "tante",
        "opa",
        "oma",
        "buurman",
        "buurvrouw",
    }
)
# Words that end a Dutch street name, written apart or as its last part: "Kerkstraat", "Oude Weg".
_STREET_SUFFIX = re.compile(
    r"(straat|weg|laan|plein|kade|dijk|gracht|singel|steeg|pad|dreef|hof|park|markt|baan|lei|wal|veld|"
    r"boulevard|street|road|avenue|lane|square)$"
)
# After a lowercase everyday-word name ("in houten ..."), these next words still let it read as the place.
_AFTER_PLACE_OK = frozenset(
    {
        "bij",
        "aan",
        "op",
        "achter",
        "naast",
        "voor",
        "tegenover",
        "in",
        "en",
        "of",
        "is",
        "zit",
        "zitten",
        "wordt",
        "worden",
        "staat",
        "staan",
        "centrum",
        "near",
        "at",
        "the",
        "and",
        "was",
        "de",
        "het",
        "een",
        "daar",
        "er",
        "ook",
        "waar",
        "where",
        "ligt",
        "woont",
        "wonen",
        "there",
        "on",
        "by",
        "behind",
        "next",
        "opposite",
        "zuid",
        "noord",
        "oost",
        "west",
        "gebeurt",
        "gebeurd",
        "heeft",
        "hebben",
        "nl",
        "nederland",
        "dus",
        "maar",
        "want",
        "omdat",
        "sinds",
        "al",
        "nu",
        "vandaag",
        "gisteren",
        "zag",
        "zie",
        "zien",
        "city",
        "centre",
        "center",
    }
)
# Two capitals after four digits that are a word in all-caps text, not postcode letters.
_NOT_POSTCODE_LETTERS = frozenset(
    "in en op de at to of on is it by an om er je nu ze we he me my no so up us am as be do go if or te"
    " ik".split()
)
_SENTENCE_BREAK = re.compile(r"[.!?\n:;()\[\]\"“”]")
# Shortest lowercase name that counts in free text without a place preposition ("vroomshoop, achter de kerk").
_MIN_BARE_LOWERCASE = 5
# Typos are corrected in free text only for long words after a place preposition ("in apeldorn"), only
# towards a municipality's own name or an alias, and only one slip: a letter left out, doubled or swapped.
_MIN_FUZZY_TEXT = 7


class GeoDataError(ValueError):
    """The place tables or the alias file are missing or inconsistent."""


def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive key: "'s-Gravenhage" → "s gravenhage"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return _NON_ALNUM.sub(" ", ascii_text).strip()


def municipality_slug(cbs_name: str, keep_suffix: bool = False) -> str:
    """The slug of a CBS municipality name (without the ``gemeente-`` prefix)."""
    name = cbs_name if keep_suffix else _PARENS_SUFFIX.sub("", cbs_name)
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return _NON_ALNUM.sub("-", ascii_text).strip("-")


def partner_id_for(slug: str) -> str:
    return f"gemeente-{slug}"


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    province: str
    slug: str

    @property
    def partner_id(self) -> str:
        return partner_id_for(self.slug)


class Resolution(BaseModel):
    """Where a report's incident is, as far as the location fields and the text tell."""

    model_config = ConfigDict(frozen=True)

    municipality: str | None = None
    code: str | None = None
    slug: str | None = None
    partner_id: str | None = None
    how: How = "none"
    ambiguous: bool = False
    candidates: list[str] = []
    notes: list[str] = []

    @property
    def resolved(self) -> bool:
        return self.municipality is not None


class GeoAliases(BaseModel):
    """Schema of ``geo-aliases.yaml``."""

    model_config = ConfigDict(extra="forbid")

    # An alias names one municipality, or several when the everyday name is shared ("Alphen").
    aliases: dict[str, str | list[str]]
    # Written forms with an apostrophe inside ("A'dam"), matched as written: folded they would be "a dam".
    abbreviations: dict[str, str] = {}
    common_words: list[str] = []
    word_names: list[str] = []
    # Everyday words one slip away from a municipality's name: never read as its misspelling.
    not_typos: list[str] = []
    provinces: dict[str, list[str]]

    @field_validator("aliases")
    @classmethod
    def _non_empty_keys(cls, v: dict[str, str | list[str]]) -> dict[str, str | list[str]]:
        for key in v:
            if not fold(key):
                raise ValueError(f"alias key {key!r} has no letters or digits")
        return v

    @field_validator("common_words", "word_names", "not_typos")
    @classmethod
    def _folded_words(cls, v: list[str]) -> list[str]:
        for word in v:
            if fold(word) != word:
                raise ValueError(
                    f"word {word!r} must be written folded (lowercase, no accents or punctuation)"
                )
        return v


@dataclass(frozen=True)
class _Entry:
    code: str
    kind: Literal["alias", "municipality", "woonplaats", "variant"]


@dataclass
class _Mention:
    codes: frozenset[str]
    weight: int
    name: str
    start: int


@dataclass(frozen=True)
class _Token:
    raw: str
    folded: str
    start: int
    end: int

    @property
    def capitalised(self) -> bool:
        return (self.raw[:1].isupper() and not self.raw.isupper()) or (
            len(self.raw) > 3 and self.raw.isupper()
        )


@dataclass
class Gazetteer:
    """Name, postcode and alias indexes over the CBS tables. Load once per process."""

    municipalities: dict[str, Municipality]
    names: dict[str, frozenset[_Entry]]
    pc4: dict[str, frozenset[str]]
    common_words: frozenset[str]
    province_tokens: dict[str, str]
    by_name: dict[str, Municipality] = field(default_factory=dict)
    word_names: frozenset[str] = frozenset()
    abbreviations: dict[str, str] = field(default_factory=dict)
    _fuzzy_keys: list[str] = field(default_factory=list)
    _fuzzy_text_keys: list[str] = field(default_factory=list)
    not_typos: frozenset[str] = frozenset()

    # --- loading -------------------------------------------------------------------------------

    @classmethod
    def load(cls, data_dir: Path | None = None) -> Gazetteer:
        root = data_dir or DATA_DIR
        geo = root / "nl-geo"
        try:
            gemeenten = _read_csv(geo / "gemeenten.csv", ("gemeente_code", "gemeente", "provincie"))
            woonplaatsen = _read_csv(geo / "woonplaatsen.csv", ("woonplaats", "gemeente_code"))
            pc4_rows = _read_csv(geo / "pc4.csv", ("pc4", "gemeente_code"))
            raw_aliases = yaml.safe_load((root / "geo-aliases.yaml").read_text(encoding="utf-8"))
            aliases = GeoAliases.model_validate(raw_aliases)
        except (OSError, yaml.YAMLError, ValidationError) as exc:
            raise GeoDataError(f"cannot load place data from {root}: {exc}") from exc

        municipalities = _municipalities(gemeenten)
        by_name = {m.name: m for m in municipalities.values()}
        index: dict[str, set[_Entry]] = defaultdict(set)

        province_tokens: dict[str, str] = {}
        for province, tokens in aliases.provinces.items():
            for tok in tokens:
                province_tokens[fold(tok)] = province

        for m in municipalities.values():
            index[fold(m.name)].add(_Entry(m.code, "municipality"))
            index[fold(_PARENS_SUFFIX.sub("", m.name))].add(_Entry(m.code, "municipality"))
        for row in woonplaatsen:
            code = row["gemeente_code"]
            if code not in municipalities:
                raise GeoDataError(f"woonplaats {row['woonplaats']!r} names unknown municipality {code}")
            key = fold(row["woonplaats"])
            index[key].add(_Entry(code, "woonplaats"))
            base = _strip_suffix(key, fold(municipalities[code].name), province_tokens)
            if base != key:
                index[base].add(_Entry(code, "variant"))

        def code_of(alias: str, target: str) -> str:
            aliased = by_name.get(target)
            if aliased is None:
                raise GeoDataError(
                    f"alias {alias!r} points to {target!r}, which is not a CBS municipality name"
                )
            return aliased.code

        for alias, targets in aliases.aliases.items():
            for target in [targets] if isinstance(targets, str) else targets:
                index[fold(alias)].add(_Entry(code_of(alias, target), "alias"))
        abbreviations = {_abbreviation_key(k): code_of(k, v) for k, v in aliases.abbreviations.items()}
        common_words = frozenset(aliases.common_words)
        word_names = frozenset(aliases.word_names)
        both = common_words & word_names
        if both:
            raise GeoDataError(f"words listed both as common words and as word names: {sorted(both)}")

        pc4: dict[str, set[str]] = defaultdict(set)
        for row in pc4_rows:
            if row["gemeente_code"] not in municipalities:
                raise GeoDataError(f"PC4 {row['pc4']} names unknown municipality {row['gemeente_code']}")
            pc4[row["pc4"]].add(row["gemeente_code"])

        names = {k: frozenset(v) for k, v in index.items()}
        return cls(
            municipalities=municipalities,
            names=names,
            pc4={k: frozenset(v) for k, v in pc4.items()},
            common_words=common_words,
            province_tokens=province_tokens,
            by_name=by_name,
            word_names=word_names,
            abbreviations=abbreviations,
            _fuzzy_keys=[k for k in names if len(k) >= 5],
            # Typos in free text: one-word names only, and never one that is also an everyday word.
            _fuzzy_text_keys=sorted(
                k
                for k, entries in names.items()
                if len(k) >= _MIN_FUZZY_TEXT
                and " " not in k
                and k not in common_words
                and k not in word_names
                and any(e.kind in ("alias", "municipality") for e in entries)
            ),
            not_typos=frozenset(aliases.not_typos),
        )

    # --- lookups -------------------------------------------------------------------------------

    def municipality(self, code: str) -> Municipality:
        return self.municipalities[code]

    def lookup_name(self, name: str) -> frozenset[str]:
        """Municipality codes a place name can mean. An alias or a municipality name wins over villages."""
        entries = self.names.get(fold(name), frozenset())
        return _preferred_codes(entries)

    def lookup_postcode(self, postcode: str) -> frozenset[str]:
        m = _POSTCODE.search(postcode)
        if not m:
            return frozenset()
        return self.pc4.get(m.group(1), frozenset())

    def resolve(self, location: Location | None, description: str = "") -> Resolution:
        """The municipality of the incident, with how it was found; ambiguous names are never guessed.

        Order of trust: the city field, the postcode field, then places named in the other location fields
        (street, location note), then places and full postcodes named in the description. Every name found
        in free text is scored by its context (place preposition, capital, sentence start, the word after it);
        a name shared by several municipalities is narrowed by the other clues or left ambiguous.
        """
        notes: list[str] = []
        loc = location or Location()
        field_text = "\n".join(p for p in (loc.street, loc.description) if p)
        field_mentions = self._mentions(field_text, location_field=True) + self._postcodes_in(field_text, 3)
        text_mentions = self._mentions(description) + self._postcodes_in(description, 2)
        all_mentions = field_mentions + text_mentions
        provinces_named = self._provinces_in(f"{field_text}\n{description}")
        province_clue = self._province_clue(loc.city or "")

        pc_codes: frozenset[str] = frozenset()
        if loc.postcode:
            pc_codes = self.lookup_postcode(loc.postcode)
            if not pc_codes:
                notes.append("postcode not in the PC4 table")

        city_codes: frozenset[str] = frozenset()
        how: How = "city"
        if loc.city:
            city_codes, how = self._lookup_field(loc.city)
            if not city_codes:
                notes.append("place name not recognised")

        if city_codes:
            candidates = set(city_codes)
            if province_clue and len(candidates) > 1:
                narrowed = {c for c in candidates if self.municipalities[c].province == province_clue}
                candidates = narrowed or candidates
            if len(candidates) > 1 and pc_codes and candidates & pc_codes:
                candidates &= pc_codes
                notes.append("postcode decided between places with the same name")
            if len(candidates) > 1:
                narrowed = self._narrow_by_mentions(candidates, all_mentions, provinces_named)
                if narrowed != candidates:
                    notes.append(
                        "another place named in the report decided between places with the same name"
                    )
                candidates = narrowed
            if len(candidates) == 1:
                code = next(iter(candidates))
                if pc_codes and code not in pc_codes:
                    notes.append("postcode points elsewhere; the place name was used")
                return self._resolved(code, how, notes)
            return self._ambiguous(candidates, notes)

        if pc_codes:
            candidates = set(pc_codes)
            if len(candidates) > 1:
                candidates = self._narrow_by_mentions(candidates, all_mentions, provinces_named)
            if len(candidates) == 1:
                return self._resolved(next(iter(candidates)), "postcode", notes)
            return self._ambiguous(candidates, notes + ["postcode lies in more than one municipality"])

        if field_mentions:
            # The location note and street are about the incident place; the description may name others.
            from_fields = self._from_mentions(field_mentions, notes, text_mentions, provinces_named, "city")
            if from_fields.resolved or from_fields.ambiguous:
                return from_fields
        return self._from_mentions(text_mentions, notes, [], provinces_named, "description")

    # --- internals -----------------------------------------------------------------------------

    def _resolved(self, code: str, how: How, notes: list[str]) -> Resolution:
        m = self.municipalities[code]
        return Resolution(
            municipality=m.name,
            code=m.code,
            slug=m.slug,
            partner_id=m.partner_id,
            how=how,
            candidates=[m.name],
            notes=notes,
        )

    def _ambiguous(self, codes: Iterable[str], notes: list[str]) -> Resolution:
        names = sorted(self.municipalities[c].name for c in codes)
        return Resolution(
            ambiguous=True, candidates=names, notes=notes + ["name shared by several municipalities"]
        )

    def _lookup_field(self, value: str) -> tuple[frozenset[str], How]:
        """A city field: exact name, then without 'gemeente' or a province, then parts, then typos."""
        abbreviated = self.abbreviations.get(_abbreviation_key(value))
        if abbreviated:
            return frozenset({abbreviated}), "alias"
        key = fold(value)
        key = re.sub(r"^(gemeente|gem|municipality of|city of)\s+", "", key)
        entries = self.names.get(key)
        if entries:
            return _preferred_codes(entries), _how_of(entries)
        tokens = key.split()
        # "Den Ham Ov", "Haren (Groningen)": a trailing province narrows the name before it.
        while len(tokens) > 1 and " ".join(tokens[-1:]) in self.province_tokens:
            tokens = tokens[:-1]
            entries = self.names.get(" ".join(tokens))
            if entries:
                return _preferred_codes(entries), _how_of(entries)
        # "Amsterdam Zuidoost", "Vroomshoop (Twenterand)": any known name inside the field.
        found: set[str] = set()
        for mention in self._mentions(value, free_text=False):
            found |= mention.codes
        if found:
            return frozenset(found), "city"
        if len(key) >= 5:
            best = process.extract(key, self._fuzzy_keys, scorer=fuzz.ratio, limit=5, score_cutoff=86)
            if best:
                top = best[0][1]
                codes: set[str] = set()
                for name, score, _ in best:
                    if score >= top - 2:
                        codes |= _preferred_codes(self.names[name])
                return frozenset(codes), "fuzzy"
        return frozenset(), "none"

    def _provinces_in(self, text: str) -> frozenset[str]:
        # Only full province names count in free text; "L" or "O" would match everywhere.
        key = f" {fold(text)} "
        return frozenset(p for tok, p in self.province_tokens.items() if len(tok) > 4 and f" {tok} " in key)

    def _province_clue(self, city: str) -> str | None:
        tokens = fold(city).split()
        for n in (2, 1):
            if len(tokens) > n:
                tail = " ".join(tokens[-n:])
                if tail in self.province_tokens:
                    return self.province_tokens[tail]
        return None

    def _postcodes_in(self, text: str, weight: int) -> list[_Mention]:
        """Full postcodes in a free-text field ("1012 AB", "1012ab"): a bare number is too often a year."""
        found: list[_Mention] = []
        for m in _POSTCODE_IN_TEXT.finditer(text):
            if (m.group(2) or "").lower() in _NOT_POSTCODE_LETTERS:
                continue  # "IN 2019 IN ZWOLLE"
            codes = self.pc4.get(m.group(1), frozenset())
            if codes:
                found.append(_Mention(codes, weight, m.group(0), m.start()))
        return found

    def _mentions(self, text: str, *, free_text: bool = True, location_field: bool = False) -> list[_Mention]:
        """Place names in a text, each weighed by its context (0 = not a place here)."""
        if not text:
            return []
        tokens = [_Token(m.group(), fold(m.group()), m.start(), m.end()) for m in _TOKEN.finditer(text)]
        mentions: list[_Mention] = []
        i = 0
        while i < len(tokens):
            matched = False
            abbreviated = self.abbreviations.get(_abbreviation_key(tokens[i].raw))
            if abbreviated:
                weight = (
                    2 if not free_text else self._context_weight(text, tokens, i, 1, "", abbreviation=True)
                )
                if weight > 0:
                    mentions.append(
                        _Mention(frozenset({abbreviated}), weight, tokens[i].folded, tokens[i].start)
                    )
                i += 1
                continue
            for n in range(min(_MAX_NAME_TOKENS, len(tokens) - i), 0, -1):
                parts = [t.folded for t in tokens[i : i + n]]
                if any(not p for p in parts):
                    continue
                key = " ".join(parts)
                entries = self.names.get(key)
                if not entries:
                    continue
                weight = 2
                if free_text and not (i == 0 and n == len(tokens)):
                    # A field or message that is nothing but the name ("Hoorn") needs no context.
                    weight = self._context_weight(text, tokens, i, n, key)
                    if weight > 0 and location_field:
                        weight += 1
                if weight > 0:
                    mentions.append(_Mention(_preferred_codes(entries), weight, key, tokens[i].start))
                    i += n
                    matched = True
                    break
            if not matched:
                typo = self._typo(text, tokens, i, location_field) if free_text else None
                if typo:
                    mentions.append(typo)
                i += 1
        return mentions

    def _typo(self, text: str, tokens: list[_Token], i: int, location_field: bool) -> _Mention | None:
        """A misspelt one-word place after a place preposition ("in apeldorn", "bij hengeloo")."""
        tok = tokens[i]
        key = tok.folded
        if len(key) < _MIN_FUZZY_TEXT or not key.isalpha() or key in self.names or key in self.not_typos:
            return None
        previous = self._previous(text, tokens, i)
        if previous not in _STRONG_PREPOSITIONS and not location_field:
            return None
        if self._street_name_at(tokens, i, 1) or not self._ends_phrase(text, tokens, i + 1):
            return None
        slips = 1
        # Slips counted with a swap of two letters as one ("eindhovne"); the first letter must be right.
        best = process.extract(key, self._fuzzy_text_keys, scorer=OSA.distance, limit=5, score_cutoff=slips)
        codes: set[str] = set()
        top = min((d for _, d, _ in best), default=None)
        for name, distance, _ in best:
            # A letter left out, doubled or swapped; a letter replaced by another makes other words.
            slip = Indel.distance(key, name) == distance or sorted(key) == sorted(name)
            if distance == top and name[0] == key[0] and slip:
                codes |= _preferred_codes(self.names[name])
        if len(codes) != 1:
            return None
        return _Mention(frozenset(codes), 1, key, tok.start)

    def _previous(self, text: str, tokens: list[_Token], i: int) -> str:
        """The word before a name in the same sentence, looking past an article ("in de Bijlmer")."""
        j = i - 1
        if j >= 0 and tokens[j].folded in _ARTICLES and not self._breaks(text, tokens, j + 1):
            j -= 1
        if j < 0 or self._breaks(text, tokens, j + 1):
            return ""
        word = tokens[j].folded
        if word in {"van", "of"} and j > 0 and not self._breaks(text, tokens, j):
            # "de buurt van Sneek", "station van Amersfoort": after a place noun "van" is a place preposition.
            k = j - 1
            if tokens[k].folded in _PLACE_NOUNS or _STREET_SUFFIX.search(tokens[k].folded):
                return "in"
        if word in {"buurt", "omgeving"} and j > 0 and tokens[j - 1].folded in {"de", "in"}:
            return "in"
        return word

    @staticmethod
    def _breaks(text: str, tokens: list[_Token], i: int) -> bool:
        """Whether a sentence or clause break lies before token i (or i is the first token)."""
        if i == 0:
            return True
        return bool(_SENTENCE_BREAK.search(text, tokens[i - 1].end, tokens[i].start))

    @staticmethod
    def _street_name_at(tokens: list[_Token], i: int, n: int) -> bool:
        """The name is part of a street name: "Utrecht straat", "Leiden-weg"."""
        after = i + n
        return after < len(tokens) and bool(_STREET_SUFFIX.fullmatch(tokens[after].folded))

    def _context_weight(
        self, text: str, tokens: list[_Token], i: int, n: int, key: str, *, abbreviation: bool = False
    ) -> int:
        first = tokens[i]
        previous = self._previous(text, tokens, i)
        if previous in _EXCLUDING_PREPOSITIONS or previous in _HONORIFICS:
            return 0
        if self._street_name_at(tokens, i, n):
            return 0
        # "de Wijk", "'s-Gravendeel": an article or "'s" may be lowercase; the name after it counts.
        lead_in = n > 1 and first.folded in _ARTICLES | {"den", "s"}
        capitalised = tokens[i + 1].capitalised if lead_in else first.capitalised
        sentence_start = self._breaks(text, tokens, i)
        strong = previous in _STRONG_PREPOSITIONS
        after_postcode = (
            i >= 2
            and re.fullmatch(r"[A-Z]{2}", tokens[i - 1].raw) is not None
            and re.fullmatch(r"[1-9]\d{3}", tokens[i - 2].raw) is not None
        )
        if after_postcode:
            return 2
        if abbreviation:
            return 2 if strong else 1
        kind = self._word_kind(key)
        if kind == "common":
            # Everyday words count only as "in Best", "te Goes": capital and a place preposition.
            return 2 if strong and capitalised else 0
        if self._surname_context(text, tokens, i):
            return 0
        if kind == "word":
            # "in leiden", "near goes": after a place preposition even lowercase, unless a noun follows
            # ("in houten kisten"); elsewhere only capitalised inside a sentence ("achter de Jumbo, Houten").
            if strong and capitalised:
                return 2
            if previous in _LOWERCASE_PLACE_PREPOSITIONS and self._ends_phrase(text, tokens, i + n):
                return 2
            return 1 if capitalised and not sentence_start else 0
        if strong:
            return 2
        if previous in _WEAK_PREPOSITIONS:
            return 1
        if capitalised:
            return 1
        # A lowercase name that is no everyday word: "vroomshoop, achter de kerk".
        return 1 if len(key) >= _MIN_BARE_LOWERCASE else 0

    def _word_kind(self, key: str) -> Literal["common", "word", "name"]:
        if key in self.word_names:
            return "word"
        if key in self.common_words or len(key) <= 3:
            return "common"
        return "name"

    def _surname_context(self, text: str, tokens: list[_Token], i: int) -> bool:
        """A capitalised name right after another capitalised word is more likely a surname ("Frank Maas")."""
        if i == 0 or self._breaks(text, tokens, i):
            return False
        before = tokens[i - 1]
        if not before.raw[:1].isupper() or before.folded in _ARTICLES:
            return False
        if before.raw.isupper() and len(before.raw) > 1 and tokens[i].raw.isupper():
            return False  # ALL CAPS text
        if before.folded in _STRONG_PREPOSITIONS or before.folded in _PLACE_NOUNS:
            return False  # "In Zwolle", "Gemeente Zwolle", "Centrum Utrecht"
        if _STREET_SUFFIX.search(before.folded):
            return False  # "Stationsstraat Vroomshoop"
        return before.folded not in self.names or before.folded in self.common_words

    def _ends_phrase(self, text: str, tokens: list[_Token], after: int) -> bool:
        """No noun follows: the end, a punctuation mark, or a function word ("in houten bij de kerk")."""
        if after >= len(tokens) or self._breaks(text, tokens, after):
            return True
        if text[tokens[after - 1].end : tokens[after].start].strip():
            return True  # a comma or dash
        nxt = tokens[after]
        return nxt.folded in _AFTER_PLACE_OK or nxt.raw[:1].isupper() or nxt.folded.isdigit()

    def _narrow_by_mentions(
        self, candidates: set[str], mentions: list[_Mention], provinces_named: frozenset[str] = frozenset()
    ) -> set[str]:
        # Other places named in the report: a firm mention of a place that lies in one candidate decides.
        votes: dict[str, int] = defaultdict(int)
        for mention in mentions:
            hit = mention.codes & candidates
            if hit and len(mention.codes) == 1:
                votes[next(iter(hit))] += mention.weight
        provinces = {self.province_tokens[m.name] for m in mentions if m.name in self.province_tokens}
        provinces |= provinces_named
        if votes:
            best = max(votes.values())
            winners = {c for c, v in votes.items() if v == best}
            if len(winners) == 1:
                return winners
        if provinces:
            narrowed = {c for c in candidates if self.municipalities[c].province in provinces}
            if narrowed:
                return narrowed
        return candidates

    def _from_mentions(
        self,
        mentions: list[_Mention],
        notes: list[str],
        other_mentions: list[_Mention],
        provinces_named: frozenset[str],
        how: How,
    ) -> Resolution:
        """The place named in free text: the best-scored municipality, if one clearly wins."""
        if not mentions:
            return Resolution(notes=notes + ["no place found in the location fields or the text"])
        firm: dict[str, int] = defaultdict(int)
        for m in mentions:
            if len(m.codes) == 1:
                firm[next(iter(m.codes))] += m.weight
        ambiguous = [m for m in mentions if len(m.codes) > 1]
        ambiguous_sets = [m.codes for m in ambiguous]
        firm_provinces = {self.municipalities[c].province for c in firm}
        for m in ambiguous:
            if m.codes & set(firm):
                # An ambiguous name next to a firm one in the same municipality adds weight there.
                for c in m.codes & set(firm):
                    firm[c] += 1
                continue
            # "in Alphen, vlakbij Leiden": the shared name narrowed by the other place's province is a
            # second, different place; the two compete rather than the firm one winning unopposed.
            same_province = [c for c in m.codes if self.municipalities[c].province in firm_provinces]
            if len(same_province) == 1:
                firm[same_province[0]] += m.weight
        if firm:
            best = max(firm.values())
            winners = [c for c, v in firm.items() if v == best]
            if len(winners) == 1:
                return self._resolved(winners[0], how, notes)
            return self._ambiguous(winners, notes + ["the text names places in different municipalities"])
        union: set[str] = set().union(*ambiguous_sets)
        # "Den Ham" in the location note, "vlak bij Vroomshoop" in the description.
        narrowed = self._narrow_by_mentions(union, other_mentions, provinces_named)
        if len(narrowed) == 1:
            note = "another place named in the report decided between places with the same name"
            return self._resolved(next(iter(narrowed)), how, notes + [note])
        return self._ambiguous(narrowed, notes)


def _preferred_codes(entries: Iterable[_Entry]) -> frozenset[str]:
    entries = list(entries)
    # A curated alias or a municipality's own name beats villages of the same name elsewhere
    # ("Hengelo" is the municipality Hengelo (O.), not the village Hengelo in Bronckhorst).
    for kinds in (("alias",), ("municipality",)):
        codes = frozenset(e.code for e in entries if e.kind in kinds)
        if codes:
            return codes
    return frozenset(e.code for e in entries)


def _how_of(entries: Iterable[_Entry]) -> How:
    kinds = {e.kind for e in entries}
    if "alias" in kinds:
        return "alias"
    if "municipality" in kinds:
        return "municipality"
    return "city"


def _strip_suffix(key: str, municipality_key: str, province_tokens: dict[str, str]) -> str:
    """'haren gn' → 'haren', 'hoogvliet rotterdam' → 'hoogvliet', 'alteveer gem hoogeveen' → 'alteveer'.

    Not when what is left is no name of its own: 'oude pekela' stays, 'west terschelling' too.
    """
    tokens = key.split()
    m = re.match(r"^(.*?)\s+gem\s+.+$", key)
    if m:
        return m.group(1)
    if len(tokens) > 1 and tokens[-1] in province_tokens:
        return " ".join(tokens[:-1])
    if key.endswith(" " + municipality_key) and key != municipality_key:
        base = key[: -len(municipality_key) - 1]
        if base.split()[-1] not in _NOT_A_NAME_ALONE:
            return base
    return key


# What is left of "Oude Pekela", "Klein-Zundert", "Broek in Waterland" without the municipality's name.
_NOT_A_NAME_ALONE = frozenset(
    {
        "oude",
        "oud",
        "nieuwe",
        "nieuw",
        "klein",
        "groot",
        "grote",
        "west",
        "oost",
        "noord",
        "zuid",
        "in",
        "aan",
        "op",
        "bij",
        "en",
        "de",
        "den",
        "het",
        "ter",
        "ten",
        "sint",
        "st",
    }
)


def _abbreviation_key(text: str) -> str:
    """ "A'dam", "a’dam", " R'DAM " → "a'dam", "r'dam": written forms are matched with their apostrophe."""
    return text.strip().lower().replace("’", "'").replace("`", "'")


def _read_csv(path: Path, required: tuple[str, ...]) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise GeoDataError(f"{path.name} lacks columns {missing}")
        return list(reader)


def _municipalities(rows: list[dict[str, str]]) -> dict[str, Municipality]:
    base_count: dict[str, int] = defaultdict(int)
    for row in rows:
        base_count[municipality_slug(row["gemeente"])] += 1
    result: dict[str, Municipality] = {}
    for row in rows:
        name = row["gemeente"]
        # The province suffix is dropped unless two municipalities would then share the slug (the Bergens).
        slug = municipality_slug(name, keep_suffix=base_count[municipality_slug(name)] > 1)
        result[row["gemeente_code"]] = Municipality(row["gemeente_code"], name, row["provincie"], slug)
    slugs = [m.slug for m in result.values()]
    if len(set(slugs)) != len(slugs):
        raise GeoDataError("two municipalities have the same slug")
    return result
