"""Routing rules and the partner registry as data: load, validate with clear errors, version by content hash.

An operator edits ``data/rules-v1.yaml`` or ``data/partners.yaml``; ``meldpunt rules check FILE`` runs
the same validation the router runs at start-up.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from contracts.taxonomy import Taxonomy, load_taxonomy
from contracts.topics import PARTNER_ID_PATTERN, partner_topic
from services.router.geo import municipality_slug, partner_id_for

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_RULES = DATA_DIR / "rules-v1.yaml"
DEFAULT_PARTNERS = DATA_DIR / "partners.yaml"

MUNICIPALITY = "@municipality"
PER_CATEGORY = "@category"

# Every partner gets these: without them the report is not a report (and none identifies the reporter).
ALWAYS_SHARED = frozenset(
    {
        "schema_version",
        "report_id",
        "kind",
        "supplement_to",
        "channel",
        "language",
        "description",
        "received_period",
        "risk",
        "redactions",
    }
)
SHAREABLE = frozenset(
    {
        "category",
        "incident",
        "incident.occurred",
        "incident.ongoing",
        "incident.location",
        "subjects",
        "attachments",
        "campaign",
        "wants_feedback",
    }
)


class RuleSetError(ValueError):
    """A rule-set or partner file that cannot be used. ``problems`` lists every problem found."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


# --- partner registry ------------------------------------------------------------------------


def _check_fields(v: list[str]) -> list[str]:
    unknown = sorted(set(v) - SHAREABLE)
    if unknown:
        raise ValueError(f"unknown report fields {unknown}; allowed: {sorted(SHAREABLE)}")
    return v


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PartnerSpec(_Strict):
    id: str = Field(pattern=PARTNER_ID_PATTERN)
    name: str
    kind: Literal["agency", "municipality", "operators"] = "agency"
    can_lead: bool = True
    fields: list[str]

    @field_validator("fields")
    @classmethod
    def _known_fields(cls, v: list[str]) -> list[str]:
        return _check_fields(v)


class MunicipalitySpec(_Strict):
    source: str
    name: str = "Gemeente {name}"
    fields: list[str]

    @field_validator("fields")
    @classmethod
    def _known_fields(cls, v: list[str]) -> list[str]:
        return _check_fields(v)


class PartnerFile(_Strict):
    partners: list[PartnerSpec]
    municipalities: MunicipalitySpec | None = None


@dataclass(frozen=True)
class Partner:
    id: str
    name: str
    topic: str
    kind: str
    can_lead: bool
    fields: frozenset[str]
    municipality: str | None = None  # CBS name, for gemeente partners


@dataclass(frozen=True)
class PartnerRegistry:
    partners: dict[str, Partner]

    def __contains__(self, partner_id: object) -> bool:
        return partner_id in self.partners

    def __getitem__(self, partner_id: str) -> Partner:
        return self.partners[partner_id]

    def get(self, partner_id: str) -> Partner | None:
        return self.partners.get(partner_id)

    def topics(self) -> list[str]:
        """Every partner topic; the router creates them on start-up."""
        return sorted(p.topic for p in self.partners.values())


def load_partners(path: Path | None = None) -> PartnerRegistry:
    """The partner registry: fixed partners plus one ``gemeente-<slug>`` per CBS municipality."""
    path = path or DEFAULT_PARTNERS
    source = str(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        spec = PartnerFile.model_validate(raw)
    except OSError as exc:
        raise RuleSetError(source, [f"cannot read: {exc.strerror or exc}"]) from exc
    except yaml.YAMLError as exc:
        raise RuleSetError(source, [f"not valid YAML: {exc}"]) from exc
    except ValidationError as exc:
        raise RuleSetError(source, _pydantic_problems(exc)) from exc

    partners: dict[str, Partner] = {}
    problems: list[str] = []
    for p in spec.partners:
        if p.id in partners:
            problems.append(f"partner {p.id!r} is listed twice")
        partners[p.id] = Partner(p.id, p.name, partner_topic(p.id), p.kind, p.can_lead, frozenset(p.fields))
    if spec.municipalities is not None:
        m = spec.municipalities
        for name in _municipality_names(path.parent / m.source, source, problems):
            pid = partner_id_for(name[1])
            if pid in partners:
                problems.append(f"municipality partner {pid!r} collides with a listed partner")
            partners[pid] = Partner(
                pid,
                m.name.format(name=name[0]),
                partner_topic(pid),
                "municipality",
                True,
                frozenset(m.fields),
                municipality=name[0],
            )
    if problems:
        raise RuleSetError(source, problems)
    return PartnerRegistry(partners)


def _municipality_names(path: Path, source: str, problems: list[str]) -> list[tuple[str, str]]:
    """(CBS name, slug) for every municipality in the CBS table; the Bergens keep their suffix."""
    try:
        with path.open(encoding="utf-8", newline="") as f:
            names = [row["gemeente"] for row in csv.DictReader(f)]
    except (OSError, KeyError) as exc:
        problems.append(f"cannot read municipalities from {path.name}: {exc}")
        return []
    base = [municipality_slug(n) for n in names]
    return [
        (n, municipality_slug(n, keep_suffix=base.count(b) > 1)) for n, b in zip(names, base, strict=True)
    ]


# --- rule set ----------------------------------------------------------------------------------


class DomainSpec(_Strict):
    lead: str
    also: list[str] = []


class DomainRef(_Strict):
    domain: str
    partner: str | None = None


class CategoryRule(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.\-]*$")
    match: list[str] = Field(min_length=1)
    domains: list[str | DomainRef] = Field(min_length=1)
    description: str | None = None

    def domain_refs(self) -> list[DomainRef]:
        return [DomainRef(domain=d) if isinstance(d, str) else d for d in self.domains]


class InformWhen(_Strict):
    category: str = "*"
    min_domains: int = Field(default=1, ge=1)


class InformRule(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.\-]*$")
    description: str | None = None
    when: InformWhen
    partners: list[str] = Field(min_length=1)


class UrgencySpec(_Strict):
    id: str = "urgency.ongoing-danger"
    danger_categories: list[str] = []
    danger_terms: list[str] = []
    now_terms: list[str] = []
    negations: list[str] = []
    occurred_now: list[str] = []


class TriageSpec(_Strict):
    partner: str = "triage"
    min_confidence: float = Field(default=0.5, ge=0.0, le=1.0)


class ClassifierSpec(_Strict):
    lexicon: str = "category-lexicon.yaml"
    # Directory of labelled texts (JSONL) the learned model is trained on at start-up; "" for none.
    training: str = "training"
    # Mixed score = lexicon_weight × lexicon share + (1 − lexicon_weight) × model probability.
    lexicon_weight: float = Field(default=0.5, ge=0.0, le=1.0)


class RuleFile(_Strict):
    name: str
    domains: dict[str, DomainSpec]
    categories: list[CategoryRule] = Field(min_length=1)
    inform: list[InformRule] = []
    urgency: UrgencySpec = UrgencySpec()
    triage: TriageSpec = TriageSpec()
    classifier: ClassifierSpec = ClassifierSpec()


@dataclass(frozen=True)
class Route:
    """What a category's rule says: domains in order, with the partner each domain brings."""

    rule_id: str
    domains: tuple[str, ...]
    # (domain, partners): partners[0] leads the domain; MUNICIPALITY stands for the incident's gemeente.
    partners: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class RuleSet:
    name: str
    version: str
    source: str
    spec: RuleFile
    taxonomy: Taxonomy
    partners: PartnerRegistry
    routes: dict[str, Route]
    lexicon_path: Path
    warnings: tuple[str, ...] = field(default=())
    # The learned model's training files (sorted); empty when the rule set names no training data.
    training_files: tuple[Path, ...] = field(default=())

    @property
    def triage_partner(self) -> str:
        return self.spec.triage.partner

    @property
    def min_confidence(self) -> float:
        return self.spec.triage.min_confidence

    def route_for(self, category: str) -> Route | None:
        return self.routes.get(category)

    def informed_by_rules(self, category: str, n_domains: int) -> list[tuple[str, list[str]]]:
        return [
            (r.id, r.partners)
            for r in self.spec.inform
            if _matches(r.when.category, category) and n_domains >= r.when.min_domains
        ]


def load_ruleset(
    path: Path | None = None,
    *,
    partners: PartnerRegistry | None = None,
    taxonomy: Taxonomy | None = None,
) -> RuleSet:
    """Load and validate a rule set. Raises ``RuleSetError`` listing every problem found."""
    path = Path(path) if path else DEFAULT_RULES
    source = str(path)
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise RuleSetError(source, [f"cannot read: {exc.strerror or exc}"]) from exc
    try:
        raw = yaml.safe_load(content.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise RuleSetError(source, [f"not valid YAML: {exc}"]) from exc
    if not isinstance(raw, dict):
        raise RuleSetError(source, ["the file must be a mapping with name, domains and categories"])
    try:
        spec = RuleFile.model_validate(raw)
    except ValidationError as exc:
        raise RuleSetError(source, _pydantic_problems(exc)) from exc

    registry = partners or load_partners()
    tax = taxonomy or load_taxonomy()
    lexicon_path = _lexicon_path(path, spec.classifier.lexicon)
    problems: list[str] = []
    warnings: list[str] = []
    routes = _validate(spec, registry, tax, problems, warnings)
    if not lexicon_path.is_file():
        problems.append(
            f"classifier lexicon {spec.classifier.lexicon!r} not found next to the rules or shipped"
        )
    training_files: tuple[Path, ...] = ()
    if spec.classifier.training:
        training_dir = _lexicon_path(path, spec.classifier.training)
        training_files = tuple(sorted(training_dir.glob("*.jsonl"))) if training_dir.is_dir() else ()
        if not training_files:
            problems.append(
                f"classifier training data {spec.classifier.training!r} (*.jsonl) not found "
                "next to the rules or shipped"
            )
    if problems:
        raise RuleSetError(source, problems)

    digest = hashlib.sha256(content)
    # The lexicon and the model's training texts decide categories as much as the rules decide
    # partners: all of them make the version.
    digest.update(lexicon_path.read_bytes())
    for training_file in training_files:
        digest.update(b"\0" + training_file.name.encode() + b"\0")
        digest.update(training_file.read_bytes())
    version = "v1-" + digest.hexdigest()[:12]
    return RuleSet(
        spec.name,
        version,
        source,
        spec,
        tax,
        registry,
        routes,
        lexicon_path,
        tuple(warnings),
        training_files,
    )


def _lexicon_path(rules_path: Path, name: str) -> Path:
    candidate = rules_path.parent / name
    # A rule file copied elsewhere for `rules diff` still uses the shipped lexicon and training data.
    return candidate if candidate.exists() else DATA_DIR / name


def _validate(
    spec: RuleFile, partners: PartnerRegistry, taxonomy: Taxonomy, problems: list[str], warnings: list[str]
) -> dict[str, Route]:
    codes = taxonomy.codes()

    def check_partner(pid: str, where: str, *, leads: bool) -> None:
        if pid not in partners:
            problems.append(f"{where}: unknown partner {pid!r} (not in the partner registry)")
        elif leads and not partners[pid].can_lead:
            problems.append(f"{where}: partner {pid!r} is informed only and cannot lead")

    for name, domain_spec in spec.domains.items():
        if domain_spec.lead not in (MUNICIPALITY, PER_CATEGORY):
            check_partner(domain_spec.lead, f"domain {name!r}", leads=True)
        for pid in domain_spec.also:
            check_partner(pid, f"domain {name!r}", leads=False)

    check_partner(spec.triage.partner, "triage", leads=True)
    for pid in (p for r in spec.inform for p in r.partners):
        check_partner(pid, "inform", leads=False)

    seen_ids: set[str] = set()
    for rid in [r.id for r in spec.categories] + [r.id for r in spec.inform] + [spec.urgency.id]:
        if rid in seen_ids:
            problems.append(f"rule id {rid!r} is used twice")
        seen_ids.add(rid)

    routes: dict[str, Route] = {}
    used_domains: set[str] = set()
    for rule in spec.categories:
        where = f"rule {rule.id!r}"
        matched: list[str] = []
        for pattern in rule.match:
            hits = [c for c in codes if _matches(pattern, c)]
            if not hits:
                problems.append(f"{where}: unknown category {pattern!r} (not in the taxonomy)")
            matched += hits
        new = [c for c in dict.fromkeys(matched) if c not in routes]
        if matched and not new:
            problems.append(f"{where}: unreachable, every category it matches is matched by an earlier rule")
        refs = rule.domain_refs()
        names = [r.domain for r in refs]
        if len(set(names)) != len(names):
            problems.append(f"{where}: a domain is listed twice")
        partner_list: list[tuple[str, tuple[str, ...]]] = []
        for pos, ref in enumerate(refs):
            d = spec.domains.get(ref.domain)
            if d is None:
                problems.append(f"{where}: unknown legal domain {ref.domain!r}")
                continue
            used_domains.add(ref.domain)
            if d.lead == PER_CATEGORY:
                if ref.partner is None:
                    problems.append(f"{where}: domain {ref.domain!r} needs a partner named in the rule")
                    continue
                check_partner(ref.partner, where, leads=pos == 0)
                lead = ref.partner
            else:
                if ref.partner is not None:
                    problems.append(f"{where}: domain {ref.domain!r} has a fixed lead; drop 'partner'")
                lead = d.lead
                if pos == 0 and lead != MUNICIPALITY and lead in partners and not partners[lead].can_lead:
                    problems.append(f"{where}: partner {lead!r} is informed only and cannot lead")
            partner_list.append((ref.domain, (lead, *d.also)))
        route = Route(rule.id, tuple(names), tuple(partner_list))
        for c in new:
            routes[c] = route

    for code in codes:
        if code not in routes:
            problems.append(f"category {code!r} has no rule: its reports could never be routed")
    for name in spec.domains:
        if name not in used_domains:
            warnings.append(f"domain {name!r} is used by no rule")

    for r in spec.inform:
        reachable = any(
            _matches(r.when.category, c) and len(route.domains) >= r.when.min_domains
            for c, route in routes.items()
        )
        if routes and not reachable:
            problems.append(f"inform rule {r.id!r}: unreachable, no category matches its condition")

    for c in spec.urgency.danger_categories:
        if c not in codes:
            problems.append(f"urgency: unknown category {c!r} (not in the taxonomy)")
    return routes


def _matches(pattern: str, code: str) -> bool:
    if pattern == "*":
        return True
    if pattern.endswith(".*"):
        return code.startswith(pattern[:-1])
    return fnmatchcase(code, pattern) if any(ch in pattern for ch in "*?[") else code == pattern


def _pydantic_problems(exc: ValidationError) -> list[str]:
    # Location and message only: the input values are the operator's own file, but keep lines short.
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(top)"
        out.append(f"{loc}: {err['msg']}")
    return out
