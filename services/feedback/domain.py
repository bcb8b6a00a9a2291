"""Feedback's logic: the reporter's status timeline from routing decisions and partner outcomes, who may
add to it, what the reporter reads, and the guards of the status lookup. Pure: no I/O, no clock reads."""

from __future__ import annotations

import hashlib
import hmac
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, model_validator

from contracts import TRIAGE, Outcome, RoutingDecision, TimelineEntry, event_id
from contracts.events import OutcomeStatus
from contracts.intake import MAX_DESCRIPTION_CHARS, Language

TEXTS_FILE = Path(__file__).parent / "data" / "texts.yaml"
LANGUAGES: tuple[Language, ...] = ("nl", "en")
ROUTING_STATUSES = ("submitted", "forwarded", "triage", "supplement_forwarded")
# Steps the reporter takes themselves (recorded by feedback, never with what they wrote).
REPORTER_STATUSES = ("answered",)
# On the same day these come before outcomes, which may have arrived before their decision. A
# forwarded supplement is not among them: it follows the question and answer it belongs to.
_LEADING_STATUSES = ("submitted", "forwarded", "triage")
# An answer is a supplement to the report: the contract's limit on a description applies.
MAX_ANSWER_CHARS = MAX_DESCRIPTION_CHARS
OUTCOME_STATUSES: tuple[OutcomeStatus, ...] = get_args(OutcomeStatus)

UI_KEYS = (
    "page_title",
    "intro",
    "reference_label",
    "secret_label",
    "submit",
    "unknown_receipt",
    "too_many_attempts",
    "invalid_request",
    "unavailable",
    "timeline_title",
    "question_label",
    "rate_title",
    "rate_submit",
    "rated",
    "already_rated",
    "rating_expired",
    "switch_language",
    "answer_label",
    "answer_hint",
    "answer_submit",
    "answer_required",
    "answer_too_long",
    "answered",
    "no_open_question",
    "answer_expired",
    "answer_copy_label",
)

try:
    _LOCAL_TZ: ZoneInfo | None = ZoneInfo("Europe/Amsterdam")
except ZoneInfoNotFoundError:  # no tz database on this machine: fall back to UTC dates
    _LOCAL_TZ = None


class Phrase(BaseModel):
    model_config = ConfigDict(extra="forbid")
    nl: str
    en: str

    def in_(self, lang: Language) -> str:
        return self.en if lang == "en" else self.nl


class Texts(BaseModel):
    """The reporter-facing copy (data file ``data/texts.yaml``)."""

    model_config = ConfigDict(extra="forbid")
    partner_kinds: dict[str, Phrase]
    statuses: dict[str, Phrase]
    ui: dict[str, Phrase]

    @model_validator(mode="after")
    def _complete(self) -> Texts:
        missing = set(ROUTING_STATUSES + OUTCOME_STATUSES + REPORTER_STATUSES) - set(self.statuses)
        if missing:
            raise ValueError(f"texts lack statuses: {sorted(missing)}")
        if "default" not in self.partner_kinds:
            raise ValueError("texts lack the default partner kind")
        missing_ui = set(UI_KEYS) - set(self.ui)
        if missing_ui:
            raise ValueError(f"texts lack page copy: {sorted(missing_ui)}")
        return self

    def page(self, lang: Language) -> dict[str, str]:
        """The page copy in one language, for a template."""
        return {key: phrase.in_(lang) for key, phrase in self.ui.items()}


@cache
def load_texts(path: Path = TEXTS_FILE) -> Texts:
    return Texts.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


# --- building the timeline --------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineItem:
    """One stored step of a report's timeline. ``partner_id`` is internal; the reporter sees only its kind."""

    on: date
    status: str
    partner_id: str | None = None
    message: str | None = None


def local_day(moment: datetime) -> date:
    """The calendar day in the Netherlands. A reporter sees dates only: times could correlate."""
    return moment.astimezone(_LOCAL_TZ).date() if _LOCAL_TZ else moment.date()


def timeline_report_id(decision: RoutingDecision) -> uuid.UUID:
    """The report whose timeline a decision belongs to: a reporter's supplement joins the original's."""
    return (
        decision.supplement_to
        if decision.kind == "supplement" and decision.supplement_to
        else decision.report_id
    )


def authorised_partners(decision: RoutingDecision) -> set[str]:
    """Partners that may post outcomes about the report: those it went (or, under review, will go) to."""
    partners = set(decision.partners) | {decision.lead_partner}
    if decision.review:
        partners |= set(decision.intended_partners)
    return partners - {TRIAGE}


def routing_item(decision: RoutingDecision, now: datetime) -> TimelineItem:
    on = local_day(decision.decided_at or now)
    if decision.kind == "supplement":
        return TimelineItem(on, "supplement_forwarded")
    if decision.review or decision.lead_partner == TRIAGE:
        return TimelineItem(on, "triage")
    # Only the lead is named: which agencies are informed says too much about an investigation.
    return TimelineItem(on, "forwarded", partner_id=decision.lead_partner)


def outcome_item(outcome: Outcome) -> TimelineItem:
    return TimelineItem(
        local_day(outcome.occurred_at), outcome.status, partner_id=outcome.partner_id, message=outcome.message
    )


OutcomeVerdict = Literal["accepted", "pending_routing", "unauthorised_partner"]


def judge_outcome(outcome: Outcome, authorised: set[str] | None) -> OutcomeVerdict:
    """``authorised`` is ``None`` while no routing decision is known: the outcome is kept and shown only
    once a decision names its partner (topics are independent, so it may simply have arrived first)."""
    if authorised is None:
        return "pending_routing"
    return "accepted" if outcome.partner_id in authorised else "unauthorised_partner"


def outcome_event_id(outcome: Outcome) -> str:
    """Deterministic fallback for outcomes published without a ``ce_id`` header."""
    if outcome.outcome_id is not None:
        return event_id(str(outcome.report_id), f"outcome:{outcome.outcome_id}")
    qualifier = f"{outcome.partner_id}:{outcome.status}:{outcome.occurred_at.isoformat()}"
    return event_id(str(outcome.report_id), f"outcome:{qualifier}")


def partner_description(partner_id: str | None, lang: Language, texts: Texts) -> str:
    kinds = texts.partner_kinds
    if partner_id and partner_id in kinds:
        return kinds[partner_id].in_(lang)
    prefixes = [p for p in kinds if p.endswith("-") and partner_id and partner_id.startswith(p)]
    if prefixes:
        return kinds[max(prefixes, key=len)].in_(lang)
    return kinds["default"].in_(lang)


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def status_text(item: TimelineItem, lang: Language, texts: Texts) -> str:
    phrase = texts.statuses.get(item.status)
    if phrase is None:
        return ""
    return _sentence_case(phrase.in_(lang).format(partner=partner_description(item.partner_id, lang, texts)))


def render_timeline(
    submitted_on: date, items: Iterable[TimelineItem], lang: Language, texts: Texts
) -> list[TimelineEntry]:
    """What the reporter reads: 'received by Meldpunt' first, then each step in order, dates only.

    ``items`` must already be limited to authorised outcomes and be in arrival order; equal-looking
    repeats (a partner re-sending the same status on the same day) are shown once.
    """
    entries = [
        TimelineEntry(
            on=submitted_on,
            status="submitted",
            text=status_text(TimelineItem(submitted_on, "submitted"), lang, texts),
        )
    ]
    seen: set[tuple[date, str, str, str | None]] = set()
    # Same day: routing before outcomes (an outcome may have arrived first), otherwise arrival order.
    for item in sorted(items, key=lambda i: (i.on, i.status not in _LEADING_STATUSES)):
        if item.status not in texts.statuses:
            continue
        text = status_text(item, lang, texts)
        question = item.message if item.status == "question" else None
        if item.message and item.status != "question":
            text = f"{text} {item.message}"
        key = (item.on, item.status, text, question)
        if key in seen:
            continue
        seen.add(key)
        entries.append(TimelineEntry(on=item.on, status=item.status, text=text, question=question))
    return entries


# --- the reporter's answer to a partner's question ---------------------------------------------------


def open_question(items: Sequence[TimelineItem]) -> TimelineItem | None:
    """The question the reporter has not answered yet: the last one with no answer after it.

    ``items`` in arrival order. One answer closes every question before it: it goes, as a supplement,
    to all the report's partners, so a question from the police and one from the municipality asked
    before it are answered together.
    """
    latest: TimelineItem | None = None
    for item in items:
        if item.status == "question":
            latest = item
        elif item.status == "answered":
            latest = None
    return latest


def answer_submission_id(report_id: uuid.UUID, items: Sequence[TimelineItem]) -> uuid.UUID:
    """Intake's idempotency key for the next answer: the same for a retry of the same answer (the
    n-th answer of this report), so a retry after a lost acknowledgement is not forwarded twice."""
    if open_question(items) is None:
        raise NoOpenQuestion
    answers_before = sum(1 for item in items if item.status == "answered")
    digest = hashlib.sha256(
        b"meldpunt-answer:" + report_id.bytes + answers_before.to_bytes(4, "big")
    ).digest()
    return uuid.UUID(bytes=digest[:16], version=4)


def answered_item(now: datetime) -> TimelineItem:
    """The timeline step for an answer: the day only, and not a word of what the reporter wrote."""
    return TimelineItem(local_day(now), "answered")


def normalise_answer(typed: str) -> str:
    """Browsers send line breaks as CRLF: count them as the one character the reporter typed."""
    return typed.replace("\r\n", "\n").strip()


def answer_problem(answer: str) -> str | None:
    """The page-copy key of what is wrong with a (normalised) answer, or ``None``."""
    if not answer:
        return "answer_required"
    if len(answer) > MAX_ANSWER_CHARS:
        return "answer_too_long"
    return None


# --- guarding the status lookup ---------------------------------------------------------------------

# Crockford base32 as intake issues it; look-alikes typed by a reporter are read as what they meant.
_REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def normalise_reference(typed: str) -> str:
    """``m abcd efgh``, ``MABCDEFGH`` and ``M-ABCD-EFGH`` are the same reference."""
    compact = re.sub(r"[\s\-_.]", "", typed.upper())
    if compact.startswith("M") and len(compact) == 9:
        body = compact[1:].translate(_LOOKALIKES)
        if all(c in _REFERENCE_ALPHABET for c in body):
            return f"M-{body[:4]}-{body[4:]}"
    return typed.strip().upper()


class FailureLimiter:
    """Failed lookups per reference in a sliding window, in memory. Counting unknown references too means
    a probe for references and a guess at one reference's secret hit the same wall."""

    def __init__(self, max_failures: int, window: timedelta, max_keys: int = 100_000) -> None:
        self.max_failures = max_failures
        self.window = window
        self.max_keys = max_keys
        self._failures: dict[str, list[datetime]] = {}

    def _recent(self, key: str, now: datetime) -> list[datetime]:
        recent = [t for t in self._failures.get(key, []) if now - t < self.window]
        if recent:
            self._failures[key] = recent
        else:
            self._failures.pop(key, None)
        return recent

    def blocked(self, key: str, now: datetime) -> bool:
        return len(self._recent(key, now)) >= self.max_failures

    def fail(self, key: str, now: datetime) -> None:
        if key not in self._failures and len(self._failures) >= self.max_keys:
            # Bounded memory: forget the oldest entry (dicts keep insertion order).
            self._failures.pop(next(iter(self._failures)))
        self._failures.setdefault(key, []).append(now)

    def succeed(self, key: str) -> None:
        self._failures.pop(key, None)


def rating_token(key: bytes, reference: str, expires: datetime) -> str:
    """A short-lived proof that the bearer just presented the right secret, so the rating form on the
    status page need not carry the secret itself."""
    stamp = str(int(expires.timestamp()))
    mac = hmac.new(key, f"{reference}|{stamp}".encode(), hashlib.sha256).hexdigest()
    return f"{stamp}.{mac}"


def check_rating_token(key: bytes, reference: str, token: str, now: datetime) -> bool:
    stamp, _, mac = token.partition(".")
    if not stamp.isdigit() or int(stamp) < now.timestamp():
        return False
    expected = hmac.new(key, f"{reference}|{stamp}".encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, mac)


def pick_language(requested: str | None, fallback: str = "nl") -> Language:
    for candidate in (requested, fallback):
        if candidate in LANGUAGES:
            return candidate  # type: ignore[return-value]
    return "nl"


class UnknownReceipt(Exception):
    """Wrong reference or wrong secret: the reporter (and a prober) gets the same answer for both."""


class TooManyAttempts(Exception):
    """Too many failed lookups for one reference in the window."""


class AlreadyRated(Exception):
    """A report is rated once."""


class RatingExpired(Exception):
    """The rating (or answer) form's token is stale or forged."""


class NoOpenQuestion(Exception):
    """The reporter can answer only a partner's question that is still open."""
