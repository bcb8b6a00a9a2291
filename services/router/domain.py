"""The router's logic as pure functions: category, municipality, partners, priority and why.

``decide_route`` follows routing policy v1 (DESIGN.md) as written in the rule-set data file; the
wiring layer supplies the earlier-report count and publishes what this module decides.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from contracts.events import AnonymizedReport, RoutedReport, RoutingDecision
from contracts.intake import Incident, Location
from services.router.classify import Classification, Classifier, normalise
from services.router.geo import Gazetteer, Resolution
from services.router.model import TextModel, combine, train
from services.router.rules import (
    ALWAYS_SHARED,
    MUNICIPALITY,
    Partner,
    PartnerRegistry,
    Route,
    RuleSet,
    load_partners,
)
from services.router.training import load_training_set

__all__ = [
    "Router",
    "decide_route",
    "earlier_reports_text",
    "load_partners",
    "location_key",
    "minimise",
    "routed_report_for",
]

REVIEW_RULE = "review.anonymizer"
SUPPLEMENT_RULE = "supplement.same-partners"
TRIAGE_LOW_CONFIDENCE = "triage.low-confidence"
TRIAGE_NO_MUNICIPALITY = "triage.no-municipality"
GEMEENTE_DROPPED = "bestuursrecht.gemeente-dropped"
CATEGORY_RULE = "category.reporter"
CLASSIFIER_RULE = "category.classifier"

_PUNCTUATED = re.compile(r"[!?]")
_HOUSE_NUMBER = re.compile(r"^\s*(\d+)\s*[-/]?\s*([a-z]{0,3}|bis)?\b", re.IGNORECASE)
_ADDRESS = re.compile(r"^(?P<street>.*?[A-Za-zÀ-ÿ].*?)\s+(?P<number>\d+\s*[-/]?\s*[A-Za-z]{0,3})\s*$")


# --- the classifier is part of the rule set, built once per rule set -------------------------


@dataclass(frozen=True)
class Router:
    """A rule set plus the gazetteer and the classifier it needs. Build once; ``decide`` is pure."""

    rules: RuleSet
    gazetteer: Gazetteer

    @cached_property
    def classifier(self) -> Classifier:
        return _classifier_for(self.rules)

    def decide(
        self, report: AnonymizedReport, *, earlier_reports: int = 0, now: datetime | None = None
    ) -> RoutingDecision:
        return decide_route(report, self.rules, self.gazetteer, earlier_reports=earlier_reports, now=now)


_CLASSIFIERS: dict[str, Classifier] = {}


def _classifier_for(rules: RuleSet) -> Classifier:
    # Keyed by the rule-set version (which covers the lexicon's bytes): a lexicon is parsed once.
    clf = _CLASSIFIERS.get(rules.version)
    if clf is None:
        clf = Classifier.load(rules.lexicon_path, rules.taxonomy.codes())
        _CLASSIFIERS[rules.version] = clf
    return clf


_MODELS: dict[str, TextModel | None] = {}


def _model_for(rules: RuleSet) -> TextModel | None:
    # Trained once per set of training texts (their bytes are part of the rule-set version too); rule
    # sets that differ only in their rules share the model.
    digest = hashlib.sha256()
    for path in rules.training_files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    key = digest.hexdigest()
    if key not in _MODELS:
        rows = load_training_set(rules.training_files)
        _MODELS[key] = train([(t, c) for t, c, _ in rows]) if rows else None
    return _MODELS[key]


# --- decision ----------------------------------------------------------------------------------


def decide_route(
    report: AnonymizedReport,
    rules: RuleSet,
    gazetteer: Gazetteer,
    *,
    earlier_reports: int = 0,
    now: datetime | None = None,
    window_days: int = 365,
    original: RoutingDecision | None = None,
) -> RoutingDecision:
    """Where a report goes and why. Pure: the same inputs always give the same decision.

    ``original`` is the decision on the report a supplement answers; a supplement goes to the same
    partners. ``earlier_reports`` is the count the wiring layer found for the same location.
    """
    why: list[str] = []
    rule_ids: list[str] = []
    text = _report_text(report)

    # 1. Category: the reporter's, if the taxonomy knows it; otherwise from the text.
    category, source, confidence, classification = _category(report, rules, text)
    if source == "reporter":
        rule_ids.append(CATEGORY_RULE)
        why.append(f"category {category} as given by the reporter")
    else:
        rule_ids.append(CLASSIFIER_RULE)
        given = f"unknown category {report.category!r}; " if report.category else ""
        why.append(f"{given}classified from the text: {classification.explain() if classification else ''}")
        if classification is not None and classification.fallback and category == classification.fallback:
            why.append(
                f"{category.split('.')[0]} signals of more than one kind and none clearly ahead "
                f"(confidence {confidence or 0:.2f} for the family): {category}"
            )

    # 2. Municipality of the incident.
    resolution = gazetteer.resolve(_location(report.incident), _place_text(report))
    why.append(_explain_resolution(resolution))

    # An unroutable report can still be urgent: judge danger by the classifier's best guess then.
    danger_category = category or (classification.category if classification else None)
    priority, urgent_why = _priority(report, rules, danger_category, text)

    base = dict(
        report_id=report.report_id,
        kind=report.kind,
        supplement_to=report.supplement_to,
        category_source=source,
        category_confidence=confidence,
        priority=priority,
        municipality=resolution.municipality,
        earlier_reports=earlier_reports,
        ruleset_version=rules.version,
        channel=report.channel,
        campaign=report.campaign,
        decided_at=now,
    )

    if report.kind == "supplement" and original is not None:
        # The reporter's answer to a partner's question goes to the partners of the original report.
        rule_ids.append(SUPPLEMENT_RULE)
        why.append("supplement to an earlier report: sent to the same partners")
        lead, partners, domains = original.lead_partner, list(original.partners), list(original.legal_domains)
        category = category or original.category
    else:
        route = rules.route_for(category) if category else None
        if route is None or category is None:
            rule_ids.append(TRIAGE_LOW_CONFIDENCE)
            why.append(
                f"classifier confidence {confidence or 0:.2f} is below {rules.min_confidence:.2f}: "
                "to the operators' triage queue rather than to a guessed partner"
            )
            lead, partners, domains = rules.triage_partner, [rules.triage_partner], []
            category = None
        else:
            lead, partners, domains = _partners(route, rules, resolution, category, rule_ids, why)

    if urgent_why:
        rule_ids.append(rules.spec.urgency.id)
        why.append(urgent_why)
    else:
        why.append("priority normal: not an ongoing incident with danger")

    if earlier_reports:
        why.append(earlier_reports_text(earlier_reports, window_days))

    review_reasons: list[str] = []
    intended: list[str] = []
    if report.risk.review:
        # The decision names the partners it is meant for; the report waits in triage until released.
        rule_ids.append(REVIEW_RULE)
        review_reasons = list(report.risk.reasons)
        intended = list(partners)
        why.append(
            "marked for review by the anonymizer (" + (", ".join(review_reasons) or "no reason given") + "): "
            "waits in the triage queue until an operator releases it to " + ", ".join(intended)
        )

    why.append(f"rule set {rules.name} {rules.version}")
    return RoutingDecision(
        **base,
        lead_partner=lead,
        partners=partners,
        legal_domains=domains,
        category=category,
        review=report.risk.review,
        review_reasons=review_reasons,
        intended_partners=intended,
        rule_ids=rule_ids,
        explanation="\n".join(why),
    )


def _category(
    report: AnonymizedReport, rules: RuleSet, text: str
) -> tuple[str | None, str, float | None, Classification | None]:
    codes = rules.taxonomy.codes()
    given = (report.category or "").strip()
    if given in codes:
        return given, "reporter", None, None
    known = _category_from_label(given, rules) if given else None
    if known:
        return known, "reporter", None, None

    clf = _classifier_for(rules)
    # An unknown code that is a prefix of known ones ("ondermijning.drugs") narrows the choice.
    among = [c for c in codes if given and c.startswith(given.rstrip(".*") + ".")] or None
    result = clf.classify(text, among=among)
    model = _model_for(rules)
    if model is not None and normalise(text):
        # The lexicon's terms and the learned model's probabilities, mixed; both stay in the explanation.
        prediction = model.predict(text, among=among, evidence=6)
        result = combine(
            result,
            prediction,
            weight=rules.spec.classifier.lexicon_weight,
            saturation=clf.settings.saturation,
        )
    return _settle(result, rules, codes)


def _settle(
    result: Classification, rules: RuleSet, codes: list[str]
) -> tuple[str | None, str, float | None, Classification | None]:
    """The classifier's answer against the threshold: a category, its family's catch-all, or none."""
    if result.category is None:
        return None, "none", 0.0, result
    confidence = result.confidence
    route = rules.route_for(result.category)
    if confidence < rules.min_confidence and route is not None:
        # Categories that route to the same partners with the same priority need no certainty between them.
        alike = [c for c in codes if _same_route(rules, c, route, result.category)]
        confidence = max(confidence, result.confidence_of_group(alike))
    if confidence < rules.min_confidence:
        fallback = _family_fallback(result, codes, rules.min_confidence)
        if fallback is not None:
            return fallback
        return None, "classifier", confidence, result
    return result.category, "classifier", confidence, result


def _family_fallback(
    result: Classification, codes: list[str], threshold: float
) -> tuple[str, str, float, Classification] | None:
    """Clearly one family (say ondermijning) but no clear kind: that family's catch-all category.

    A report whose evidence points at organised crime, split over two kinds, goes to the expertise
    centre of ``ondermijning.overig`` rather than to the triage queue; its explanation says so.
    """
    if result.category is None:
        return None
    family = result.category.split(".")[0]
    catch_all = f"{family}.overig"
    if catch_all not in codes:
        return None
    members = [c for c in codes if c.startswith(family + ".")]
    confidence = result.confidence_of_group(members)
    # Only on real evidence: at least two terms that on their own name a kind of this family.
    if confidence < threshold or sum(result.strong.get(c, 0) for c in members) < 2:
        return None
    result.fallback = catch_all
    return catch_all, "classifier", confidence, result


def _same_route(rules: RuleSet, code: str, route: Route, top: str) -> bool:
    other = rules.route_for(code)
    danger = set(rules.spec.urgency.danger_categories)
    return (
        other is not None
        and other.partners == route.partners
        and (code in danger) == (top in danger)
        and code.split(".")[0] == top.split(".")[0]
    )


def _category_from_label(given: str, rules: RuleSet) -> str | None:
    """A reporter's category written as its label or last part ("Hennepkwekerij", "inbraak")."""
    key = " ".join(normalise(given))
    for c in rules.taxonomy.categories:
        labels = {
            " ".join(normalise(c.nl)),
            " ".join(normalise(c.en)),
            " ".join(normalise(c.code.split(".")[-1])),
        }
        if key in labels:
            return c.code
    return None


def _partners(
    route: Route,
    rules: RuleSet,
    resolution: Resolution,
    category: str,
    rule_ids: list[str],
    why: list[str],
) -> tuple[str, list[str], list[str]]:
    rule_ids.append(route.rule_id)
    domains = list(route.domains)
    why.append(f"rule {route.rule_id}: legal domains {', '.join(domains)} (the first domain's partner leads)")
    chosen: list[str] = []
    for position, (domain, domain_partners) in enumerate(route.partners):
        lead, *also = domain_partners
        if lead == MUNICIPALITY:
            gemeente = resolution.partner_id if resolution.partner_id in rules.partners else None
            if gemeente is None:
                if position == 0:
                    rule_ids.append(TRIAGE_NO_MUNICIPALITY)
                    why.append(
                        f"{domain} leads but the municipality could not be resolved: "
                        "to the operators' triage queue"
                    )
                    return rules.triage_partner, [rules.triage_partner], domains
                rule_ids.append(GEMEENTE_DROPPED)
                why.append(f"{domain}: municipality not resolved, so no gemeente is informed")
                continue
            lead = gemeente
        chosen.append(lead)
        chosen.extend(also)
        role = "leads" if position == 0 else "informed"
        why.append(f"{domain}: {', '.join([lead, *also])} ({role})")
    for rule_id, extra in rules.informed_by_rules(category, len(domains)):
        rule_ids.append(rule_id)
        chosen.extend(extra)
        why.append(f"rule {rule_id}: also informs {', '.join(extra)}")
    lead = chosen[0]
    return lead, sorted(set(chosen)), domains


def _priority(report: AnonymizedReport, rules: RuleSet, category: str | None, text: str) -> tuple[str, str]:
    """Urgent when the incident is going on now and involves danger; the reporter is told to call 112."""
    spec = rules.spec.urgency
    incident = report.incident or Incident()
    tokens = normalise(text)
    occurred = " ".join(normalise(incident.occurred or ""))
    now_reason = ""
    if incident.ongoing:
        now_reason = "the reporter marked the incident as ongoing"
    elif occurred and any(occurred == " ".join(normalise(t)) for t in spec.occurred_now):
        now_reason = f"it happened '{incident.occurred}'"
    else:
        hit = _find_terms(tokens, spec.now_terms, spec.negations, raw=text)
        if hit:
            now_reason = f"the text says it is happening now ('{hit}')"
    if not now_reason:
        return "normal", ""
    if category in spec.danger_categories:
        return "urgent", f"priority urgent: {now_reason} and {category} involves danger"
    danger = _find_terms(tokens, spec.danger_terms, spec.negations)
    if danger:
        return "urgent", f"priority urgent: {now_reason} and the text names danger ('{danger}')"
    return "normal", ""


def _find_terms(
    tokens: list[str], terms: list[str], negations: list[str], *, raw: str | None = None
) -> str | None:
    negators = {n for neg in negations for n in normalise(neg)}
    present = set(tokens)
    folded = " ".join(raw.lower().split()) if raw is not None else None
    for term in terms:
        if folded is not None and _PUNCTUATED.search(term):
            # "nu!" means the exclamation, not every "nu" ("nu bij de buren" is not happening now).
            if re.search(r"(?<![a-z0-9])" + re.escape(term.lower()), folded):
                return term
            continue
        stem_match = term.endswith("*")
        words = normalise(term)
        if not words or (len(words) > 1 or not stem_match) and words[0] not in present:
            continue
        n = len(words)
        for i in range(len(tokens) - n + 1):
            window = tokens[i : i + n]
            ok = all(w == t for w, t in zip(words[:-1], window[:-1], strict=True)) and (
                window[-1].startswith(words[-1]) if stem_match else window[-1] == words[-1]
            )
            if ok and not negators.intersection(tokens[max(0, i - 3) : i]):
                return term.rstrip("*")
    return None


def _report_text(report: AnonymizedReport) -> str:
    parts = [report.description]
    incident = report.incident
    if incident is not None:
        parts.append(incident.occurred or "")
        if incident.location is not None:
            parts.append(incident.location.description or "")
    for s in report.subjects:
        parts.append(s.description or "")
    return "\n".join(p for p in parts if p)


def _place_text(report: AnonymizedReport) -> str:
    parts = [report.description]
    parts += [s.address for s in report.subjects if s.address]
    return "\n".join(parts)


def _location(incident: Incident | None) -> Location | None:
    return incident.location if incident else None


def _explain_resolution(r: Resolution) -> str:
    notes = f" ({'; '.join(r.notes)})" if r.notes else ""
    if r.resolved:
        return f"municipality {r.municipality} from the {_HOW.get(r.how, r.how)}{notes}"
    if r.ambiguous:
        return f"municipality not resolved: the place could be in {', '.join(r.candidates)}{notes}"
    return f"municipality not resolved{notes}"


_HOW = {
    "postcode": "postcode",
    "city": "place name",
    "alias": "place name (everyday name or district)",
    "municipality": "municipality name",
    "fuzzy": "place name (spelling corrected)",
    "description": "place named in the description",
}


def earlier_reports_text(count: int, window_days: int = 365) -> str:
    """What partners read: "3 eerdere meldingen over dit adres in 12 maanden"."""
    noun = "eerdere melding" if count == 1 else "eerdere meldingen"
    if window_days % 365 == 0:
        period = f"{12 * window_days // 365} maanden"
    elif window_days >= 60:
        period = f"{round(window_days / 30.4)} maanden"
    elif window_days % 7 == 0:
        period = f"{window_days // 7} weken"
    else:
        period = f"{window_days} dagen"
    return f"{count} {noun} over dit adres in {period}"


# --- earlier reports: the keyed location hash ------------------------------------------------


def _fold(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", ascii_text).strip()


def _house_number(raw: str | None) -> str | None:
    if not raw:
        return None
    m = _HOUSE_NUMBER.match(raw)
    if not m:
        return None
    return m.group(1) + (m.group(2) or "").lower()


def location_key(
    location: Location | None, secret_key: bytes, *, municipality: str | None = None
) -> str | None:
    """Keyed hash (HMAC-SHA256) of the normalised address, so the store never holds it in clear.

    Street + house number + municipality (the resolved CBS name when given, else the city), or
    postcode (PC6) + house number. None when the location is not an address.
    """
    if location is None or not secret_key:
        return None
    number = _house_number(location.house_number)
    if number is None:
        return None
    place = _fold(municipality or location.city or "")
    street = _fold(location.street or "")
    if street and place:
        material = f"street|{street}|{number}|{place}"
    else:
        postcode = re.sub(r"\s+", "", (location.postcode or "")).upper()
        if not re.fullmatch(r"[1-9]\d{3}[A-Z]{2}", postcode):
            return None
        material = f"pc6|{postcode}|{number}"
    return hmac.new(secret_key, material.encode(), hashlib.sha256).hexdigest()


def location_key_for_report(
    report: AnonymizedReport, secret_key: bytes, *, municipality: str | None = None
) -> str | None:
    """The location key of a report: its incident address, or a premises subject's "Street 12" there."""
    location = _location(report.incident)
    key = location_key(location, secret_key, municipality=municipality)
    if key is not None or location is None:
        return key
    for subject in report.subjects:
        if subject.kind == "premises" and subject.address:
            m = _ADDRESS.match(subject.address.split(",")[0].strip())
            if m:
                filled = location.model_copy(update={"street": m["street"], "house_number": m["number"]})
                return location_key(filled, secret_key, municipality=municipality)
    return None


# --- data minimisation and what a partner receives --------------------------------------------


def minimise(report: AnonymizedReport, partner: Partner) -> AnonymizedReport:
    """The report with only the fields this partner receives (the registry's field list)."""
    allowed = partner.fields
    update: dict[str, object] = {}
    for name, info in AnonymizedReport.model_fields.items():
        if name in ALWAYS_SHARED or name in allowed:
            continue
        if name == "incident" and report.incident is not None:
            parts = {p.split(".", 1)[1] for p in allowed if p.startswith("incident.")}
            update["incident"] = (
                Incident(
                    occurred=report.incident.occurred if "occurred" in parts else None,
                    ongoing=report.incident.ongoing if "ongoing" in parts else False,
                    location=report.incident.location if "location" in parts else None,
                )
                if parts
                else None
            )
            continue
        update[name] = info.get_default(call_default_factory=True)
    return report.model_copy(update=update, deep=True)


def routed_report_for(
    decision: RoutingDecision,
    report: AnonymizedReport,
    partner: Partner,
    *,
    window_days: int = 365,
) -> RoutedReport:
    """What ``partner`` receives on its topic: the minimised report with the routing context."""
    if partner.id not in decision.partners and partner.id not in decision.intended_partners:
        raise ValueError(f"partner {partner.id} is not among the partners of report {decision.report_id}")
    explanation = decision.explanation
    if decision.earlier_reports:
        explanation = earlier_reports_text(decision.earlier_reports, window_days) + "\n" + explanation
    return RoutedReport(
        report_id=decision.report_id,
        partner_id=partner.id,
        role="lead" if partner.id == decision.lead_partner else "informed",
        lead_partner=decision.lead_partner,
        partners=list(decision.partners),
        legal_domains=list(decision.legal_domains),
        category=decision.category,
        priority=decision.priority,
        municipality=decision.municipality,
        earlier_reports=decision.earlier_reports,
        earlier_reports_window_days=window_days,
        report=minimise(report, partner),
        ruleset_version=decision.ruleset_version,
        explanation=explanation,
    )


def partner_registry(rules: RuleSet) -> PartnerRegistry:
    return rules.partners
