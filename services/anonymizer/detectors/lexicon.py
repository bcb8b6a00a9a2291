"""The anonymizer's word lists (data/lexicon.yaml), validated and compiled once at start-up."""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, field_validator

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
LEXICON_FILE = DATA_DIR / "lexicon.yaml"

Pattern = str | dict[str, str]


def _regex_source(entry: Pattern) -> str:
    # A plain string is a phrase written as a small regex (e.g. "groet(?:en)?"); {regex: ...} is verbatim.
    return entry["regex"] if isinstance(entry, dict) else entry


def _alternation(entries: list[Pattern]) -> str:
    # Longest first, so "met vriendelijke groet" wins over "groet".
    sources = sorted((_regex_source(e) for e in entries), key=len, reverse=True)
    return "(?:" + "|".join(sources) + ")"


class Lexicon(BaseModel):
    """Validated contents of the lexicon file; compiled patterns are cached properties."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    version: int
    closings: list[Pattern]
    footers: list[Pattern]
    self_intro_strong: list[Pattern]
    self_intro_weak: list[Pattern]
    contact_details_intro: list[Pattern]
    caller_words: list[str]
    honorifics: list[Pattern]
    relatives: list[Pattern]
    first_person_possessive: list[str]
    third_person_possessive: list[str]
    reporter_cues: dict[str, list[Pattern]]
    reporter_cues_weak: dict[str, list[Pattern]]
    subject_cues: list[Pattern]
    own_address_intro: list[Pattern]
    position_words: list[Pattern]
    unique_self: list[Pattern]
    self_role_intro: list[Pattern]
    work_role_intro: list[Pattern]
    work_verbs: list[str]
    phrase_stops: list[str]
    not_roles: list[str]
    relation_words: dict[str, list[str]]
    direct_contact: list[Pattern]
    small_place_words: list[Pattern]
    risk_weights: dict[str, float]
    stated_relations: dict[str, str]
    english_stop_words: list[str]
    chat_staff_speakers: list[str]
    chat_self_speakers: list[str]
    chat_not_speakers: list[str]
    call_verbs: list[Pattern]
    caller_name_intro: list[Pattern]
    caller_name_after: list[Pattern]
    relative_of_reporter: list[Pattern]
    relative_named: list[Pattern]
    self_as_relative: list[Pattern]
    own_business_intro: list[Pattern]
    employer_intro: list[Pattern]
    company_joiners: list[str]
    subject_company_cues: list[Pattern]
    caller_self_naming: list[Pattern]
    call_taker_opening: list[Pattern]
    own_reference_intro: list[Pattern]
    occupation_suffixes: list[str]
    call_verb_followers: list[Pattern]
    employer_subject_categories: list[str]

    @field_validator("risk_weights")
    @classmethod
    def _weights_in_range(cls, v: dict[str, float]) -> dict[str, float]:
        bad = [k for k, w in v.items() if not 0.0 <= w < 1.0]
        if bad:
            raise ValueError(f"risk weights must be in [0, 1): {bad}")
        return v

    def compile(self, entries: list[Pattern]) -> re.Pattern[str]:
        return re.compile(_alternation(entries), re.IGNORECASE)

    @cached_property
    def cue_patterns(self) -> dict[str, re.Pattern[str]]:
        return {
            kind: re.compile(_alternation(e), re.IGNORECASE | re.MULTILINE)
            for kind, e in self.reporter_cues.items()
        }

    @cached_property
    def weak_cue_patterns(self) -> dict[str, re.Pattern[str]]:
        return {
            kind: re.compile(_alternation(e), re.IGNORECASE | re.MULTILINE)
            for kind, e in self.reporter_cues_weak.items()
        }

    @cached_property
    def subject_cue_pattern(self) -> re.Pattern[str]:
        return self.compile(self.subject_cues)

    @cached_property
    def stop_words(self) -> frozenset[str]:
        return frozenset(w.lower() for w in [*self.english_stop_words, *self.phrase_stops])


def load_lexicon(path: Path = LEXICON_FILE) -> Lexicon:
    """Read and validate the lexicon file; every pattern is compiled here so a typo fails at start-up."""
    raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    lexicon = Lexicon.model_validate(raw)
    for name in (
        "closings",
        "footers",
        "contact_details_intro",
        "self_intro_strong",
        "self_intro_weak",
        "honorifics",
        "relatives",
        "subject_cues",
        "own_address_intro",
        "position_words",
        "unique_self",
        "self_role_intro",
        "work_role_intro",
        "direct_contact",
        "small_place_words",
        "call_verbs",
        "caller_name_intro",
        "caller_name_after",
        "relative_of_reporter",
        "relative_named",
        "self_as_relative",
        "own_business_intro",
        "employer_intro",
        "subject_company_cues",
        "caller_self_naming",
        "call_taker_opening",
        "own_reference_intro",
        "call_verb_followers",
    ):
        lexicon.compile(getattr(lexicon, name))
    _ = lexicon.cue_patterns
    _ = lexicon.weak_cue_patterns
    return lexicon
