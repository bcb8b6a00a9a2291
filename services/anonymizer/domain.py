"""The anonymizer's logic: a raw report in, an AnonymizedReport out, with findings for the operator.

Pure apart from the in-memory deduce lookups loaded once in ``Anonymizer.__init__``.
"""

from __future__ import annotations

import logging
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from contracts.events import AnonymizedReport, CleanAttachment, RawReport, RedactionSummary, RiskAssessment
from contracts.intake import Incident, Subject
from services.anonymizer.detectors import numbers
from services.anonymizer.detectors.base import Finding, Span, apply_spans, fold, merge_spans
from services.anonymizer.detectors.hints import ADDRESS, ReporterHints, find_hint_spans, hints_from_reporter
from services.anonymizer.detectors.images import AttachmentRejected, clean_image
from services.anonymizer.detectors.lexicon import Lexicon, load_lexicon
from services.anonymizer.detectors.names import NameLookup
from services.anonymizer.detectors.ownership import OwnershipJudge
from services.anonymizer.detectors.risk import RiskScorer
from services.anonymizer.detectors.roles import RoleJudge
from services.anonymizer.detectors.selfid import STREET_AT, SelfIdentification
from services.anonymizer.detectors.timeinfo import Granularity, received_period, submission_clock_spans

CACHE_ENV = "MELDPUNT_ANONYMIZER_DEDUCE_CACHE"
CACHE_FILE = Path("cache") / "lookup_structs.pickle"
FREE_TEXT = ("description", "incident.occurred", "incident.location.description")
SUBJECT_FREE_TEXT = ("description",)
SUBJECT_FIELDS = (
    "name",
    "nickname",
    "description",
    "address",
    "phone",
    "social_media",
    "license_plate",
    "kvk_number",
)
LOCATION_FIELDS = ("street", "house_number", "postcode", "city", "description")


def project_root() -> Path:
    """The folder holding pyproject.toml (the checkout or the installed project)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").exists():
            return parent
    return Path.cwd()


def default_cache_path() -> Path:
    env = os.environ.get(CACHE_ENV)
    return Path(env) if env else project_root() / ".meldpunt" / "cache" / "deduce"


@dataclass(frozen=True, slots=True)
class AnonymizerConfig:
    cache_path: Path = field(default_factory=default_cache_path)
    review_threshold: float = 0.7
    time_granularity: Granularity = "hour"

    def __post_init__(self) -> None:
        if not 0.0 <= self.review_threshold <= 1.0:
            raise ValueError("review_threshold must be within [0, 1]")
        if self.time_granularity not in ("hour", "day"):
            raise ValueError("time_granularity must be 'hour' or 'day'")


class AnonymizerError(Exception):
    """Base of the anonymizer's domain errors. Messages are reason codes, never report content."""


class DeduceCacheMissing(AnonymizerError):
    """The deduce lookup cache has not been built (run ``meldpunt cache``)."""


class ReportNotProcessable(AnonymizerError):
    """A raw report that cannot be anonymized; ``reason_code`` is safe to log and dead-letter."""

    def __init__(self, reason_code: str) -> None:
        super().__init__(reason_code)
        self.reason_code = reason_code


@dataclass(frozen=True, slots=True)
class AnonymizationResult:
    report: AnonymizedReport
    findings: tuple[Finding, ...]


def parse_raw_report(data: str | bytes | dict[str, Any]) -> RawReport:
    """Validate a raw report; errors carry the failing field names only, never values."""
    try:
        if isinstance(data, dict):
            return RawReport.model_validate(data)
        return RawReport.model_validate_json(data)
    except ValidationError as exc:
        fields = sorted({".".join(str(p) for p in err["loc"]) or "<root>" for err in exc.errors()})
        raise ReportNotProcessable("invalid_raw_report:" + ",".join(fields)[:200]) from None


def load_deduce(cache_path: Path, *, build: bool = False) -> Any:
    """Load deduce with its lookup structures from ``cache_path`` (building them only when asked)."""
    if not build and not (cache_path / CACHE_FILE).exists():
        raise DeduceCacheMissing(f"no deduce cache under {cache_path}; run `meldpunt cache`")
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    from deduce import Deduce  # imported here: it is slow, and it configures logging at import

    # deduce calls logging.basicConfig(stream=sys.stdout, DEBUG) at import; undo it so it cannot
    # write into a JSON-lines stdout or flood a service log.
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)
    return Deduce(cache_path=cache_path, build_lookup_structs=build)


class Anonymizer:
    """Removes everything that identifies the reporter and keeps what partners need about the subject."""

    def __init__(
        self, config: AnonymizerConfig | None = None, *, deduce: Any = None, lexicon: Lexicon | None = None
    ) -> None:
        self.config = config or AnonymizerConfig()
        self.deduce = deduce if deduce is not None else load_deduce(self.config.cache_path)
        self.lexicon = lexicon or load_lexicon()
        self.names = NameLookup(self.deduce.lookup_structs, self.lexicon)
        self._judge = OwnershipJudge(self.lexicon)
        self._selfid = SelfIdentification(self.lexicon, self.names)
        self._risk = RiskScorer(self.lexicon)
        self._roles = RoleJudge(self.deduce)

    def anonymize(self, raw: RawReport) -> AnonymizedReport:
        return self.process(raw).report

    def explain(self, raw: RawReport) -> list[Finding]:
        return list(self.process(raw).findings)

    def process(self, raw: RawReport) -> AnonymizationResult:
        if not isinstance(raw, RawReport):
            raise ReportNotProcessable("not_a_raw_report")
        return _Run(self, raw).result()


class _Run:
    """One report's pass: collect reporter values, find them everywhere, build the output."""

    def __init__(self, anonymizer: Anonymizer, raw: RawReport) -> None:
        self.a = anonymizer
        self.raw = raw
        reporter = raw.reporter.model_dump() if raw.reporter else None
        self.hints: ReporterHints = hints_from_reporter(reporter, raw.channel_meta, anonymizer.names)
        self.fields: dict[str, str] = _text_fields(raw)
        self.spans: dict[str, list[Span]] = {path: [] for path in self.fields}
        self.subject_streets = self._subject_streets()
        self.subject_terms = self._subject_terms()
        self.subject_names = {
            fold(v.strip()) for s in raw.subjects for v in (s.name, s.nickname, s.social_media) if v
        }
        self.subject_phones = {
            k for s in raw.subjects if s.phone for k in [numbers.phone_key(s.phone)] if k is not None
        }
        self.same_street = False

    def result(self) -> AnonymizationResult:
        free = [p for p in self.fields if _is_free_text(p)]
        for path in free:
            self._self_identification(path)
        for path in free:
            self._numbers(path)
        for path, text in self.fields.items():
            self.spans[path] += find_hint_spans(text, self.hints, self.a.names, self.subject_streets)
            if _is_free_text(path):
                self.spans[path] += submission_clock_spans(text, self.raw.received_at)
        for path in free:
            self._roles_pass(path)
        findings: list[Finding] = []
        cleaned: dict[str, str] = {}
        for path, text in self.fields.items():
            merged = merge_spans(self.spans[path])
            findings += [Finding(path, s.kind, s.detector, s.rule, text[s.start : s.end]) for s in merged]
            cleaned[path] = apply_spans(text, merged)
        self._reporter_house_number(cleaned, findings)
        self.same_street = self.same_street or any(f.kind == "house_number" for f in findings)
        attachments, removed_count, meta_kinds = self._attachments()
        report = self._build(cleaned, findings, attachments, removed_count, meta_kinds)
        return AnonymizationResult(report, tuple(findings))

    # --- detection passes ---------------------------------------------------------------------

    def _self_identification(self, path: str) -> None:
        text = self.fields[path]
        category = self.raw.category or ""
        found = self.a._selfid.detect(
            text,
            self.subject_streets,
            self.subject_terms,
            employer_is_subject=any(
                category.startswith(c) for c in self.a.lexicon.employer_subject_categories
            ),
        )
        self.spans[path] += found.spans
        for name in found.names:
            self.hints.add_name(name, self.a.names)
        for name in found.relative_names:
            self.hints.add_name(name, self.a.names, relative=True)
        for address in found.addresses:
            self.hints.add_address(address)
        for number in found.house_numbers:
            self.hints.add_house_number(number)
        for start, end in found.signature_blocks:
            block = text[start:end]
            for cand in numbers.phones(block, self.a._judge):
                self.hints.add_phone(cand.value)
            for cand in numbers.emails(block, self.a._judge):
                self.hints.add_email(cand.value)
        self._blocks = getattr(self, "_blocks", {})
        self._blocks[path] = found.signature_blocks

    def _numbers(self, path: str) -> None:
        text = self.fields[path]
        blocks = getattr(self, "_blocks", {}).get(path, [])
        judge = self.a._judge
        for finder in (
            numbers.phones,
            numbers.emails,
            numbers.handles,
            numbers.ibans,
            numbers.bsns,
            numbers.plates,
        ):
            for cand in finder(text, judge):
                in_signature = any(s <= cand.start < e for s, e in blocks)
                owner = (
                    "reporter"
                    if in_signature or self._follows_reporter_name(path, cand.start)
                    else cand.owner
                )
                if cand.kind == "phone" and owner is None and self._unclaimed_phone_is_reporters(path, cand):
                    owner = "reporter"
                if cand.kind == "bsn" and owner is None:
                    owner = (
                        "reporter"  # a BSN nobody claims is not evidence; losing one costs a partner little
                    )
                if owner != "reporter":
                    continue
                self.spans[path].append(Span(cand.start, cand.end, cand.kind, "numbers", f"own-{cand.kind}"))
                self._remember(cand)

    def _roles_pass(self, path: str) -> None:
        """Default roles: names not shown to be a subject's, and self-descriptions, are removed."""
        text = self.fields[path]
        roles = self.a._roles
        self.spans[path] += roles.self_description_spans(text)
        taken = [(s.start, s.end) for s in self.spans[path]]
        self.spans[path] += roles.name_spans(
            text, self.subject_names, taken, subject_field=path.startswith("subjects[")
        )

    def _follows_reporter_name(self, path: str, start: int) -> bool:
        """A contact detail right after the reporter's name: "Ik ben Piet (06-...)", "Piet, piet@..."."""
        text = self.fields[path]
        return any(
            s.kind == "name"
            and s.detector == "selfid"
            and 0 <= start - s.end <= 4
            and not re.search(r"\w", text[s.end : start])
            for s in self.spans[path]
        )

    def _unclaimed_phone_is_reporters(self, path: str, cand: numbers.Candidate) -> bool:
        key = numbers.phone_key(cand.value)
        if key is not None and key in self.subject_phones:
            return False
        return self.a._roles.unknown_phone_is_reporters(
            self.fields[path], cand.start, cand.end, self.raw.channel
        )

    def _remember(self, cand: numbers.Candidate) -> None:
        if cand.kind == "phone":
            self.hints.add_phone(cand.value)
        elif cand.kind == "email":
            self.hints.add_email(cand.value)
        elif cand.kind in ("iban", "bsn", "plate"):
            self.hints.add_compact(cand.value, cand.kind)

    def _subject_streets(self) -> set[str]:
        """Streets the report is about: a reporter's number in one of them is removed, the street kept."""
        streets: set[str] = set()
        loc = self.raw.incident.location if self.raw.incident else None
        if loc and loc.street:
            streets.add(fold(loc.street.strip()))
        for subject in self.raw.subjects:
            if subject.address:
                m = ADDRESS.match(subject.address)
                streets.add(fold((m.group("street") if m else subject.address).strip()))
        counts = Counter(
            fold(m.group())
            for path, text in self.fields.items()
            if _is_free_text(path)
            for m in STREET_AT.finditer(text)
        )
        streets |= {s for s, n in counts.items() if n >= 2}
        return streets

    def _subject_terms(self) -> set[str]:
        """Names and places the report is about (folded): a company among them is never the reporter's."""
        terms: set[str] = set()
        for subject in self.raw.subjects:
            for value in (subject.name, subject.nickname, subject.address, subject.description):
                if value:
                    terms.add(fold(value.strip()))
        loc = self.raw.incident.location if self.raw.incident else None
        if loc and loc.description:
            terms.add(fold(loc.description.strip()))
        return terms

    def _reporter_house_number(self, cleaned: dict[str, str], findings: list[Finding]) -> None:
        """The incident at the reporter's own door: keep the street, drop the number (and PC6 -> PC4)."""
        street, number = (
            cleaned.get("incident.location.street"),
            cleaned.get("incident.location.house_number"),
        )
        if street and number:
            own = {(fold(a.street), a.number + (a.suffix or "")) for a in self.hints.addresses}
            if (fold(street), re.sub(r"[\s\-/]", "", number.lower())) in own:
                findings.append(
                    Finding(
                        "incident.location.house_number", "house_number", "hints", "reporter-address", number
                    )
                )
                cleaned["incident.location.house_number"] = "[huisnummer melder]"
                self.same_street = True
        postcode = self.fields.get("incident.location.postcode")
        if postcode and "[postcode melder]" in cleaned.get("incident.location.postcode", ""):
            cleaned["incident.location.postcode"] = re.sub(r"\D", "", postcode)[:4]

    # --- output --------------------------------------------------------------------------------

    def _attachments(self) -> tuple[list[CleanAttachment], int, list[str]]:
        out: list[CleanAttachment] = []
        removed = 0
        kinds: set[str] = set()
        for att in self.raw.attachments:
            try:
                img = clean_image(att.data_base64, att.content_type)
            except AttachmentRejected:
                removed += 1
                continue
            kinds.update(img.removed_metadata)
            out.append(
                CleanAttachment(
                    filename=f"bijlage-{len(out) + 1}.{img.extension}",
                    content_type=img.content_type,
                    data_base64=img.data_base64,
                    removed_metadata=list(img.removed_metadata),
                )
            )
        return out, removed, sorted(kinds)

    def _build(
        self,
        cleaned: dict[str, str],
        findings: list[Finding],
        attachments: list[CleanAttachment],
        attachments_removed: int,
        meta_kinds: list[str],
    ) -> AnonymizedReport:
        raw = self.raw
        kinds = [f.kind for f in findings]
        free_texts = [cleaned[p] for p in cleaned if _is_free_text(p)]
        risk = self.a._risk.assess(
            relation=raw.reporter.relation if raw.reporter else None,
            texts=free_texts,
            found_kinds=kinds,
            found_rules=[f.rule for f in findings],
            same_street=self.same_street,
            attachment_metadata=bool({"location", "author", "camera"} & set(meta_kinds)),
        )
        dropped = ["received_at"]
        if raw.reporter is not None:
            dropped.insert(0, "reporter")
        if raw.channel_meta:
            dropped.insert(0, "channel_meta")
        if raw.submission_id is not None:
            dropped.append("submission_id")
        return AnonymizedReport(
            report_id=raw.report_id,
            kind=raw.kind,
            supplement_to=raw.supplement_to,
            channel=raw.channel,
            language=raw.language,
            category=raw.category,
            description=cleaned["description"],
            incident=_incident(raw, cleaned),
            subjects=_subjects(raw, cleaned),
            campaign=cleaned.get("campaign", raw.campaign),
            attachments=attachments,
            received_period=received_period(raw.received_at, self.a.config.time_granularity),
            wants_feedback=raw.reporter.wants_feedback if raw.reporter else True,
            risk=RiskAssessment(
                score=risk.score,
                reasons=list(risk.reasons),
                review=risk.score >= self.a.config.review_threshold,
            ),
            redactions=RedactionSummary(
                counts=dict(sorted(Counter(kinds).items())),
                dropped_fields=dropped,
                attachments_removed=attachments_removed,
                attachment_metadata_removed=meta_kinds,
            ),
        )


def _text_fields(raw: RawReport) -> dict[str, str]:
    fields = {"description": raw.description}
    if raw.incident:
        if raw.incident.occurred:
            fields["incident.occurred"] = raw.incident.occurred
        loc = raw.incident.location
        if loc:
            for name in LOCATION_FIELDS:
                value = getattr(loc, name)
                if value:
                    fields[f"incident.location.{name}"] = value
    for i, subject in enumerate(raw.subjects):
        for name in SUBJECT_FIELDS:
            value = getattr(subject, name)
            if value:
                fields[f"subjects[{i}].{name}"] = value
    if raw.campaign:
        fields["campaign"] = raw.campaign
    return fields


def _is_free_text(path: str) -> bool:
    return path in FREE_TEXT or (path.startswith("subjects[") and path.endswith(".description"))


def _incident(raw: RawReport, cleaned: dict[str, str]) -> Incident | None:
    if raw.incident is None:
        return None
    data = raw.incident.model_dump()
    if "incident.occurred" in cleaned:
        data["occurred"] = cleaned["incident.occurred"]
    if data.get("location"):
        for name in LOCATION_FIELDS:
            key = f"incident.location.{name}"
            if key in cleaned:
                data["location"][name] = cleaned[key]
    return Incident.model_validate(data)


def _subjects(raw: RawReport, cleaned: dict[str, str]) -> list[Subject]:
    out = []
    for i, subject in enumerate(raw.subjects):
        data = subject.model_dump()
        for name in SUBJECT_FIELDS:
            key = f"subjects[{i}].{name}"
            if key in cleaned:
                data[name] = cleaned[key]
        out.append(Subject.model_validate(data))
    return out
