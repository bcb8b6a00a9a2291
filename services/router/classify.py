"""Transparent category classifier: a weighted NL/EN lexicon (data file), typo-tolerant, with a confidence.

Scores are sums of the weights of distinct matched terms; the explanation lists the terms, so an operator
can see why and change the lexicon without code.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import product
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from rapidfuzz import process
from rapidfuzz.distance import OSA

_WORD = re.compile(r"[a-z0-9]+")
# WhatsApp style: "heeeel", "stinkttt" → collapse three or more of the same letter to one pair.
_REPEATS = re.compile(r"([a-z])\1{2,}")
# The anonymizer's placeholders ("[naam melder]", "[telefoon melder]") say nothing about the category.
_PLACEHOLDER = re.compile(r"\[[^\[\]\n]{0,40}\bmelder\]", re.IGNORECASE)


# Terms of this weight say the category on their own.
_STRONG = 3


class LexiconError(ValueError):
    """The lexicon file cannot be used."""


class LexiconSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fuzzy_min_length: int = Field(default=7, ge=4)
    saturation: float = Field(default=5.0, gt=0)
    proximity_window: int = Field(default=8, ge=1)
    negations: list[str] = []
    # Categories whose terms a negation does not cancel: "geen buitenlanders" is the discrimination itself.
    not_negated: list[str] = []
    # Ordinary words that are one typo away from a lexicon word but mean something else.
    known_words: list[str] = []


class LexiconFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    settings: LexiconSettings = LexiconSettings()
    categories: dict[str, dict[int, list[str]]]


# Inflection endings stripped before comparing whole words, so "seksuele" meets "seksueel" and
# "bruises" meets "bruise". Longest first; a stem keeps at least four letters.
_SUFFIXES = ("tjes", "ing", "ers", "tje", "jes", "en", "er", "es", "ed", "je", "e", "s", "d", "t")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    # Dutch doubles a vowel or consonant around inflections: "seksueel"/"seksuele", "vaten"/"vat".
    word = re.sub(r"([aeou])\1(?=[^aeiou]$)", r"\1", word)
    return re.sub(r"([^aeiou])\1$", r"\1", word)


def normalise(text: str) -> list[str]:
    """Lowercase ASCII word tokens, accents folded, repeated letters collapsed."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return [_REPEATS.sub(r"\1\1", t) for t in _WORD.findall(folded)]


@dataclass(frozen=True)
class _TokenPattern:
    kind: str  # exact | prefix | suffix | infix
    value: str

    def matches(self, token: str) -> bool:
        if self.kind == "exact":
            if token == self.value:
                return True
            root = stem(self.value)
            return len(self.value) >= 5 and len(root) >= 4 and stem(token) == root
        if self.kind == "prefix":
            return token.startswith(self.value)
        if self.kind == "suffix":
            return token.endswith(self.value)
        return self.value in token


@dataclass(frozen=True)
class _Term:
    category: str
    text: str
    weight: int
    phrases: tuple[tuple[_TokenPattern, ...], ...]


@dataclass
class Classification:
    """The classifier's answer. ``category`` is None when nothing in the lexicon matched."""

    category: str | None
    confidence: float
    scores: dict[str, float] = field(default_factory=dict)
    matched: dict[str, list[str]] = field(default_factory=dict)
    # Per category, how many of its matched terms say the category on their own (top weight).
    strong: dict[str, int] = field(default_factory=dict)
    # Set by the router when no kind was clear but the family was (its catch-all category).
    fallback: str | None = None

    def ranking(self) -> list[tuple[str, float]]:
        return sorted(self.scores.items(), key=lambda kv: (-kv[1], kv[0]))

    def confidence_of_group(self, categories: Iterable[str]) -> float:
        """Confidence that the answer is one of ``categories`` (they route alike, so the partner is sure)."""
        group = set(categories)
        inside = sum(s for c, s in self.scores.items() if c in group)
        outside = max((s for c, s in self.scores.items() if c not in group), default=0.0)
        return _confidence(inside, outside, self._saturation)

    _saturation: float = 5.0

    def explain(self, limit: int = 3) -> str:
        if not self.scores:
            return "no category terms found in the text"
        parts = []
        for cat, score in self.ranking()[:limit]:
            terms = ", ".join(self.matched.get(cat, [])[:8])
            parts.append(f"{cat} {score:g} ({terms})")
        return "; ".join(parts)


def _confidence(top: float, second: float, saturation: float) -> float:
    if top <= 0:
        return 0.0
    # How clearly the winner beats the runner-up (0 for a tie, 1 without competition), shrunk when the
    # evidence itself is thin (a single weak word is not enough to pick a partner).
    margin = float(((top - second) / (top + second)) ** 0.5)
    return round(margin * min(1.0, top / saturation), 3)


class Classifier:
    """Built once from the lexicon; ``classify`` is pure and fast (indexes by token)."""

    def __init__(self, spec: LexiconFile) -> None:
        self.settings = spec.settings
        self.categories = list(spec.categories)
        self.terms: list[_Term] = []
        seen: set[tuple[str, tuple[tuple[_TokenPattern, ...], ...]]] = set()
        for cat, groups in spec.categories.items():
            for weight, terms in sorted(groups.items(), reverse=True):
                if weight < 1:
                    raise LexiconError(f"{cat}: weights must be positive, got {weight}")
                for text in terms:
                    phrases = _parse(text, cat)
                    # "'s nachts" and "s nachts" are one term after folding: count it once, at its top weight.
                    if (cat, phrases) in seen:
                        continue
                    seen.add((cat, phrases))
                    self.terms.append(_Term(cat, text, weight, phrases))
        self._negations = frozenset(n for neg in self.settings.negations for n in normalise(neg))
        self._phrases: list[tuple[_TokenPattern, ...]] = []
        phrase_ids: dict[tuple[_TokenPattern, ...], int] = {}
        self._term_phrases: list[tuple[int, ...]] = []
        for term in self.terms:
            ids = []
            for phrase in term.phrases:
                if phrase not in phrase_ids:
                    phrase_ids[phrase] = len(self._phrases)
                    self._phrases.append(phrase)
                ids.append(phrase_ids[phrase])
            self._term_phrases.append(tuple(ids))
        self._terms_by_phrase: dict[int, list[int]] = defaultdict(list)
        for index, pids in enumerate(self._term_phrases):
            for pid in pids:
                self._terms_by_phrase[pid].append(index)
        # Index phrases by their first token's pattern so a report is scanned once.
        self._exact: dict[str, list[int]] = defaultdict(list)
        self._exact_stem: dict[str, list[int]] = defaultdict(list)
        self._prefix: dict[str, list[int]] = defaultdict(list)
        self._suffix: dict[str, list[int]] = defaultdict(list)
        self._infix: list[tuple[str, int]] = []
        for pid, phrase in enumerate(self._phrases):
            first = phrase[0]
            if first.kind == "exact":
                self._exact[first.value].append(pid)
                if len(first.value) >= 5 and len(stem(first.value)) >= 4:
                    self._exact_stem[stem(first.value)].append(pid)
            elif first.kind == "prefix":
                self._prefix[first.value].append(pid)
            elif first.kind == "suffix":
                self._suffix[first.value].append(pid)
            else:
                self._infix.append((first.value, pid))
        words = {p.value for ph in self._phrases for p in ph if p.kind == "exact"}
        self._vocabulary = frozenset(words)
        self._plain = frozenset(w for kw in self.settings.known_words for w in normalise(kw))
        self._known = self._plain | self._vocabulary
        self._fuzzy_words: dict[str, list[str]] = defaultdict(list)
        for w in sorted(words):
            if len(w) >= self.settings.fuzzy_min_length:
                self._fuzzy_words[w[0]].append(w)
        self._stems = sorted(
            {p.value for ph in self._phrases for p in ph if p.kind == "prefix" and len(p.value) >= 5}
        )

    @classmethod
    def load(cls, path: Path, known_categories: Iterable[str] | None = None) -> Classifier:
        try:
            spec = LexiconFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (OSError, yaml.YAMLError, ValidationError) as exc:
            raise LexiconError(f"cannot load lexicon {path.name}: {exc}") from exc
        if known_categories is not None:
            unknown = sorted(set(spec.categories) - set(known_categories))
            if unknown:
                raise LexiconError(f"lexicon {path.name}: unknown categories {unknown}")
        return cls(spec)

    # --- classification ------------------------------------------------------------------------

    def classify(self, text: str, *, among: Iterable[str] | None = None) -> Classification:
        tokens = [self._canonical(t) for t in normalise(_PLACEHOLDER.sub(" ", text))]
        hits = self._phrase_hits(tokens)
        allowed = set(among) if among is not None else None
        scores: dict[str, float] = defaultdict(float)
        matched: dict[str, list[str]] = defaultdict(list)
        strong: dict[str, int] = defaultdict(int)
        not_negated = set(self.settings.not_negated)
        window = self.settings.proximity_window
        claimed: dict[str, set[int]] = defaultdict(set)
        # Only terms with at least one phrase in the text can match; keep the strongest-first order.
        candidates = sorted({t for pid in hits for t in self._terms_by_phrase[pid]})
        for index in candidates:
            term, pids = self.terms[index], self._term_phrases[index]
            if allowed is not None and term.category not in allowed:
                continue
            if not all(pid in hits for pid in pids):
                continue
            if len(pids) == 1:
                # A word already counted for this category by a stronger term does not count again
                # ("bruises" and "bruise*"); terms are ordered strongest first.
                spans = [
                    range(start, end + 1)
                    for start, end in hits[pids[0]]
                    if (term.category in not_negated or not self._negated(tokens, start))
                    and not claimed[term.category].intersection(range(start, end + 1))
                ]
                ok = bool(spans)
                if ok:
                    claimed[term.category].update(spans[0])
            else:
                # Words near each other; a combination made only of words a stronger term of this
                # category already counted ("dumped + waste" after "dumping + waste") adds nothing.
                ok = False
                for combo in product(*(hits[p] for p in pids)):
                    near = (
                        max(s for s, _ in combo) - min(e for _, e in combo) <= window
                        or max(e for _, e in combo) - min(s for s, _ in combo) <= window
                    )
                    if not near:
                        continue
                    words = {i for s, e in combo for i in range(s, e + 1)}
                    if words <= claimed[term.category]:
                        continue
                    claimed[term.category].update(words)
                    ok = True
                    break
            if ok:
                scores[term.category] += term.weight
                matched[term.category].append(term.text)
                strong[term.category] += term.weight >= _STRONG
        result = Classification(None, 0.0, dict(scores), dict(matched), dict(strong))
        result._saturation = self.settings.saturation
        ranking = result.ranking()
        if ranking:
            top_cat, top = ranking[0]
            second = ranking[1][1] if len(ranking) > 1 else 0.0
            result.category = top_cat
            result.confidence = _confidence(top, second, self.settings.saturation)
        return result

    def _negated(self, tokens: list[str], start: int) -> bool:
        return any(t in self._negations for t in tokens[max(0, start - 3) : start])

    def _phrase_hits(self, tokens: list[str]) -> dict[int, list[tuple[int, int]]]:
        hits: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for i, tok in enumerate(tokens):
            for pid in self._candidates(tok):
                phrase = self._phrases[pid]
                end = i + len(phrase)
                if end <= len(tokens) and all(p.matches(tokens[i + k]) for k, p in enumerate(phrase[1:], 1)):
                    if len(hits[pid]) < 8:
                        hits[pid].append((i, end - 1))
        return hits

    def _candidates(self, tok: str) -> set[int]:
        out: set[int] = set(self._exact.get(tok, ()))
        if tok not in self._plain:
            # An ordinary word that only looks like an inflection ("namens" is not "namen") keeps its meaning.
            out.update(self._exact_stem.get(stem(tok), ()))
        for k in range(1, len(tok) + 1):
            out.update(self._prefix.get(tok[:k], ()))
            out.update(self._suffix.get(tok[-k:], ()))
        for part, pid in self._infix:
            if part in tok:
                out.add(pid)
        return out

    def _canonical(self, tok: str) -> str:
        """A typo of a lexicon word becomes that word; everything else stays as it is."""
        if len(tok) < self.settings.fuzzy_min_length or tok in self._known or tok.isdigit():
            return tok
        if any(tok.startswith(s) for s in self._stems) or self._candidates(tok):
            return tok
        allowed = 1 if len(tok) <= 13 else 2
        choices = self._fuzzy_words.get(tok[0], [])
        best = (
            process.extractOne(tok, choices, scorer=OSA.distance, score_cutoff=allowed) if choices else None
        )
        # An inflection ("volgens" of "volgen") is another word, not a typo.
        if best is not None and not (tok.startswith(best[0]) or str(best[0]).startswith(tok)):
            return str(best[0])
        stems = [s for s in self._stems if s[0] == tok[0]]
        for stem in stems:
            if len(stem) >= 7 and OSA.distance(tok[: len(stem)], stem) <= 1:
                return stem + tok[len(stem) :]
        return tok


def _parse(text: str, category: str) -> tuple[tuple[_TokenPattern, ...], ...]:
    phrases = []
    for part in text.split(" + "):
        tokens = []
        for raw in part.split():
            lead, trail = raw.startswith("*"), raw.endswith("*")
            core = normalise(raw.strip("*"))
            if not core:
                raise LexiconError(f"{category}: term {text!r} has an empty word")
            # A word with inner punctuation ("wc-pot", "foto's") becomes several tokens.
            for j, piece in enumerate(core):
                first, last = j == 0, j == len(core) - 1
                if lead and trail and len(core) == 1:
                    kind = "infix"
                elif lead and first:
                    kind = "suffix"
                elif trail and last:
                    kind = "prefix"
                else:
                    kind = "exact"
                tokens.append(_TokenPattern(kind, piece))
        phrases.append(tuple(tokens))
    return tuple(phrases)
