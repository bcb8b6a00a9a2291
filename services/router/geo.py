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

from contracts.intake import Location

DATA_DIR = Path(__file__).resolve().parent / "data"
GEO_DIR = DATA_DIR / "nl-geo"

How = Literal["postcode", "city", "alias", "municipality", "fuzzy", "description", "none"]

_PARENS_SUFFIX = re.compile(r"\s*\([^)]*\)\s*$")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_POSTCODE = re.compile(r"\b([1-9]\d{3})\s?([A-Za-z]{2})?\b")
# In free text only a full postcode counts: a bare four-digit number is too often a year or an amount.
_POSTCODE_IN_TEXT = re.compile(r"\b([1-9]\d{3})\s?([A-Z]{2})\b")
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_MAX_NAME_TOKENS = 5

# Words that put a place name in the sentence as the place where something is or happens.
_STRONG_PREPOSITIONS = frozenset({"in", "te", "bij", "nabij", "omgeving", "centrum", "near", "at", "op"})
# Words that name a place the incident is *not* at (a direction or an origin).
_WEAK_PREPOSITIONS = frozenset({"uit", "van", "from"})
_EXCLUDING_PREPOSITIONS = frozenset({"richting", "naar", "towards", "to", "via"})


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

    aliases: dict[str, str]
    common_words: list[str] = []
    provinces: dict[str, list[str]]

    @field_validator("aliases")
    @classmethod
    def _non_empty_keys(cls, v: dict[str, str]) -> dict[str, str]:
        for key in v:
            if not fold(key):
                raise ValueError(f"alias key {key!r} has no letters or digits")
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


@dataclass
class Gazetteer:
    """Name, postcode and alias indexes over the CBS tables. Load once per process."""

    municipalities: dict[str, Municipality]
    names: dict[str, frozenset[_Entry]]
    pc4: dict[str, frozenset[str]]
    common_words: frozenset[str]
    province_tokens: dict[str, str]
    by_name: dict[str, Municipality] = field(default_factory=dict)
    _fuzzy_keys: list[str] = field(default_factory=list)

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
        for alias, target in aliases.aliases.items():
            aliased = by_name.get(target)
            if aliased is None:
                raise GeoDataError(
                    f"alias {alias!r} points to {target!r}, which is not a CBS municipality name"
                )
            index[fold(alias)].add(_Entry(aliased.code, "alias"))

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
            common_words=frozenset(fold(w) for w in aliases.common_words),
            province_tokens=province_tokens,
            by_name=by_name,
            _fuzzy_keys=[k for k in names if len(k) >= 5],
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
        """The municipality of the incident, with how it was found; ambiguous names are never guessed."""
        notes: list[str] = []
        loc = location or Location()
        full_text = " ".join(p for p in (loc.description, loc.street, description) if p)
        text_mentions = self._mentions(full_text)
        provinces_named = self._provinces_in(full_text)
        province_clue = self._province_clue(loc.city or "")

        pc_codes: frozenset[str] = frozenset()
        if loc.postcode:
            pc_codes = self.lookup_postcode(loc.postcode)
            if not pc_codes:
                notes.append("postcode not in the PC4 table")
        else:
            # A full postcode typed in the description or the location note is a clue too.
            for m in _POSTCODE_IN_TEXT.finditer(" ".join(p for p in (loc.description, description) if p)):
                pc_codes = self.pc4.get(m.group(1), frozenset())
                if pc_codes:
                    break

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
                narrowed = self._narrow_by_mentions(candidates, text_mentions, provinces_named)
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
                candidates = self._narrow_by_mentions(candidates, text_mentions, provinces_named)
            if len(candidates) == 1:
                return self._resolved(next(iter(candidates)), "postcode", notes)
            return self._ambiguous(candidates, notes + ["postcode lies in more than one municipality"])

        return self._from_mentions(text_mentions, notes)

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

    def _mentions(self, text: str, *, free_text: bool = True) -> list[_Mention]:
        """Place names in a text. In free text a name needs a place preposition or a capital."""
        if not text:
            return []
        raw_tokens = [(m.group(), m.start()) for m in _TOKEN.finditer(text)]
        folded = [fold(t) for t, _ in raw_tokens]
        mentions: list[_Mention] = []
        i = 0
        while i < len(raw_tokens):
            matched = False
            for n in range(min(_MAX_NAME_TOKENS, len(raw_tokens) - i), 0, -1):
                parts = folded[i : i + n]
                if any(not p for p in parts):
                    continue
                key = " ".join(parts)
                entries = self.names.get(key)
                if not entries:
                    continue
                weight = 2
                if free_text:
                    weight = self._context_weight(raw_tokens, folded, i, n, key)
                if weight > 0:
                    mentions.append(_Mention(_preferred_codes(entries), weight, key, raw_tokens[i][1]))
                    i += n
                    matched = True
                    break
            if not matched:
                i += 1
        return mentions

    def _context_weight(self, raw: list[tuple[str, int]], folded: list[str], i: int, n: int, key: str) -> int:
        previous = folded[i - 1] if i > 0 else ""
        first = raw[i][0]
        capitalised = first[:1].isupper() and not first.isupper() or (len(first) > 3 and first.isupper())
        if previous in _EXCLUDING_PREPOSITIONS:
            return 0
        if key in self.common_words or len(key) <= 3:
            # Everyday words count only as "in Best", "te Goes": capital and a place preposition.
            return 2 if previous in _STRONG_PREPOSITIONS and capitalised else 0
        if previous in _STRONG_PREPOSITIONS:
            return 2
        if previous in _WEAK_PREPOSITIONS:
            return 1
        if (
            capitalised
            and i > 0
            and raw[i - 1][0][:1].isupper()
            and folded[i - 1] not in {"de", "het", "the"}
        ):
            # Right after another capitalised word it is more likely a surname ("Frank Maas").
            return 0
        return 1 if capitalised else 0

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

    def _from_mentions(self, mentions: list[_Mention], notes: list[str]) -> Resolution:
        """The place named in the text, when the location fields gave nothing."""
        if not mentions:
            return Resolution(notes=notes + ["no place found in the location fields or the text"])
        firm: dict[str, int] = defaultdict(int)
        for m in mentions:
            if len(m.codes) == 1:
                firm[next(iter(m.codes))] += m.weight
        ambiguous_sets = [m.codes for m in mentions if len(m.codes) > 1]
        for codes in ambiguous_sets:
            # An ambiguous name next to a firm one in the same municipality adds weight there.
            for c in codes & set(firm):
                firm[c] += 1
        if firm:
            best = max(firm.values())
            winners = [c for c, v in firm.items() if v == best]
            if len(winners) == 1:
                return self._resolved(winners[0], "description", notes)
            return self._ambiguous(winners, notes + ["the text names places in different municipalities"])
        union: set[str] = set().union(*ambiguous_sets)
        return self._ambiguous(union, notes)


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
    """'haren gn' → 'haren', 'hoogvliet rotterdam' → 'hoogvliet', 'alteveer gem hoogeveen' → 'alteveer'."""
    tokens = key.split()
    m = re.match(r"^(.*?)\s+gem\s+.+$", key)
    if m:
        return m.group(1)
    if len(tokens) > 1 and tokens[-1] in province_tokens:
        return " ".join(tokens[:-1])
    if key.endswith(" " + municipality_key) and key != municipality_key:
        return key[: -len(municipality_key) - 1]
    return key


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
