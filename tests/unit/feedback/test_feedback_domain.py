"""Feedback's pure logic: timeline steps, partner authorisation, what the reporter reads, lookup guards."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from contracts import Outcome, RoutingDecision, event_id
from services.feedback import domain

TEXTS = domain.load_texts()
NOW = datetime(2026, 6, 7, 12, 0, tzinfo=UTC)
REPORT = uuid.uuid4()


def decision(**overrides: object) -> RoutingDecision:
    fields: dict[str, object] = {
        "report_id": REPORT,
        "lead_partner": "politie",
        "partners": ["politie", "om", "gemeente-twenterand", "riec"],
        "legal_domains": ["strafrecht", "bestuursrecht"],
        "category": "ondermijning.drugs.hennepkwekerij",
        "rule_ids": ["r1"],
        "ruleset_version": "1",
        "explanation": "x",
        "decided_at": NOW,
    }
    fields.update(overrides)
    return RoutingDecision.model_validate(fields)


def outcome(partner: str = "politie", status: str = "investigating", message: str | None = None) -> Outcome:
    return Outcome.model_validate(
        {
            "report_id": REPORT,
            "partner_id": partner,
            "status": status,
            "message": message,
            "occurred_at": NOW,
        }
    )


# --- partner authorisation ---------------------------------------------------------------------------


def test_partners_named_by_the_decision_are_authorised() -> None:
    assert domain.authorised_partners(decision()) == {"politie", "om", "gemeente-twenterand", "riec"}


def test_triage_is_never_an_authorised_partner() -> None:
    assert domain.authorised_partners(decision(lead_partner="triage", partners=["triage"])) == set()


def test_partners_a_report_under_review_is_meant_for_are_authorised() -> None:
    d = decision(lead_partner="triage", partners=["triage"], review=True, intended_partners=["adv"])
    assert domain.authorised_partners(d) == {"adv"}


def test_outcome_from_a_named_partner_is_accepted() -> None:
    assert domain.judge_outcome(outcome("om"), {"politie", "om"}) == "accepted"


def test_outcome_from_a_partner_the_decision_did_not_name_is_unauthorised() -> None:
    assert domain.judge_outcome(outcome("belastingdienst"), {"politie", "om"}) == "unauthorised_partner"


def test_outcome_before_any_routing_decision_is_kept_pending() -> None:
    assert domain.judge_outcome(outcome("politie"), None) == "pending_routing"


def test_outcome_for_a_triaged_report_is_unauthorised() -> None:
    authorised = domain.authorised_partners(decision(lead_partner="triage", partners=["triage"]))
    assert domain.judge_outcome(outcome("politie"), authorised) == "unauthorised_partner"


# --- timeline steps ----------------------------------------------------------------------------------


def test_routed_report_becomes_a_forwarded_step_naming_the_lead() -> None:
    item = domain.routing_item(decision(), NOW)
    assert (item.status, item.partner_id) == ("forwarded", "politie")


def test_unroutable_report_is_shown_as_assessed_by_staff() -> None:
    item = domain.routing_item(decision(lead_partner="triage", partners=["triage"]), NOW)
    assert item.status == "triage"
    assert "medewerker" in domain.status_text(item, "nl", TEXTS)


def test_report_under_review_is_shown_as_assessed_by_staff_not_as_forwarded() -> None:
    d = decision(review=True, review_reasons=["rare_detail"], intended_partners=["politie"])
    assert domain.routing_item(d, NOW).status == "triage"


def test_supplement_joins_the_original_reports_timeline() -> None:
    original = uuid.uuid4()
    d = decision(report_id=uuid.uuid4(), kind="supplement", supplement_to=original)
    assert domain.timeline_report_id(d) == original
    assert domain.routing_item(d, NOW).status == "supplement_forwarded"


def test_step_dates_are_dutch_calendar_days() -> None:
    late_evening_utc = datetime(2026, 6, 7, 22, 30, tzinfo=UTC)  # 00:30 on 8 June in Amsterdam
    assert domain.routing_item(decision(decided_at=late_evening_utc), NOW).on == date(2026, 6, 8)


def test_routing_step_without_decision_time_takes_the_day_it_was_recorded() -> None:
    assert domain.routing_item(decision(decided_at=None), NOW).on == date(2026, 6, 7)


def test_outcome_without_id_or_header_gets_a_stable_event_id() -> None:
    first, again = outcome(), outcome()
    assert domain.outcome_event_id(first) == domain.outcome_event_id(again)
    assert domain.outcome_event_id(first) != domain.outcome_event_id(outcome(status="closed"))


def test_outcome_with_partner_id_matches_the_id_the_partner_tool_publishes() -> None:
    o = outcome().model_copy(update={"outcome_id": uuid.uuid4()})
    assert domain.outcome_event_id(o) == event_id(str(REPORT), f"outcome:{o.outcome_id}")


# --- what the reporter reads -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "partner_id, nl",
    [
        ("gemeente-twenterand", "de gemeente"),
        ("gemeente-s-gravenhage", "de gemeente"),
        ("politie", "de politie"),
        ("csg", "een hulporganisatie"),
        ("veilig-thuis", "een hulporganisatie"),
        ("some-new-partner", "een partnerorganisatie"),
    ],
)
def test_partners_are_described_generically(partner_id: str, nl: str) -> None:
    assert domain.partner_description(partner_id, "nl", TEXTS) == nl


def test_forwarded_text_never_shows_the_internal_partner_id() -> None:
    item = domain.routing_item(decision(lead_partner="gemeente-twenterand"), NOW)
    for lang in ("nl", "en"):
        text = domain.status_text(item, lang, TEXTS)
        assert "twenterand" not in text.lower() and "gemeente-" not in text


def test_every_outcome_status_has_a_dutch_and_an_english_text() -> None:
    for status in domain.OUTCOME_STATUSES:
        item = domain.TimelineItem(NOW.date(), status, "politie")
        nl, en = domain.status_text(item, "nl", TEXTS), domain.status_text(item, "en", TEXTS)
        assert nl and en and nl != en
        assert nl[0].isupper() and en[0].isupper()


def test_timeline_starts_with_receipt_and_keeps_steps_in_order() -> None:
    items = [
        domain.TimelineItem(date(2026, 6, 9), "investigating", "politie"),
        domain.TimelineItem(date(2026, 6, 7), "forwarded", "politie"),
    ]
    entries = domain.render_timeline(date(2026, 6, 7), items, "nl", TEXTS)
    assert [e.status for e in entries] == ["submitted", "forwarded", "investigating"]
    assert entries[1].text == "Uw melding is doorgestuurd naar de politie."


def test_question_is_carried_for_the_reporter() -> None:
    items = [domain.TimelineItem(date(2026, 6, 8), "question", "gemeente-almelo", "Welke kleur had de bus?")]
    entry = domain.render_timeline(date(2026, 6, 7), items, "en", TEXTS)[-1]
    assert entry.question == "Welke kleur had de bus?"
    assert entry.text == "The municipality has a question for you."


def test_partner_message_with_other_status_is_added_to_the_text() -> None:
    items = [domain.TimelineItem(date(2026, 6, 8), "closed", "politie", "Het pand is gesloten.")]
    entry = domain.render_timeline(date(2026, 6, 7), items, "nl", TEXTS)[-1]
    assert entry.question is None and entry.text.endswith("Het pand is gesloten.")


def test_same_status_resent_on_the_same_day_is_shown_once() -> None:
    item = domain.TimelineItem(date(2026, 6, 8), "investigating", "politie")
    assert len(domain.render_timeline(date(2026, 6, 7), [item, item], "nl", TEXTS)) == 2


def test_timeline_entries_carry_dates_not_times() -> None:
    entries = domain.render_timeline(date(2026, 6, 7), [], "nl", TEXTS)
    assert type(entries[0].on) is date


# --- lookup guards -----------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["M-7K3Q-9XPA", "m-7k3q-9xpa", "M 7K3Q 9XPA", "M7K3Q9XPA", " m7k3q-9xpa "])
def test_reference_typed_in_any_form_is_the_same(typed: str) -> None:
    assert domain.normalise_reference(typed) == "M-7K3Q-9XPA"


def test_reference_lookalike_letters_read_as_digits() -> None:
    assert domain.normalise_reference("M-OIL0-1111") == "M-0110-1111"


def test_lookups_are_blocked_after_too_many_failures_and_freed_after_the_window() -> None:
    limiter = domain.FailureLimiter(3, timedelta(minutes=15))
    for _ in range(3):
        assert not limiter.blocked("M-AAAA-BBBB", NOW)
        limiter.fail("M-AAAA-BBBB", NOW)
    assert limiter.blocked("M-AAAA-BBBB", NOW)
    assert not limiter.blocked("M-CCCC-DDDD", NOW)
    assert not limiter.blocked("M-AAAA-BBBB", NOW + timedelta(minutes=16))


def test_a_successful_lookup_clears_the_failures() -> None:
    limiter = domain.FailureLimiter(2, timedelta(minutes=15))
    limiter.fail("M-AAAA-BBBB", NOW)
    limiter.succeed("M-AAAA-BBBB")
    limiter.fail("M-AAAA-BBBB", NOW)
    assert not limiter.blocked("M-AAAA-BBBB", NOW)


def test_failure_memory_is_bounded() -> None:
    limiter = domain.FailureLimiter(1, timedelta(minutes=15), max_keys=10)
    for i in range(100):
        limiter.fail(f"M-{i:04d}-0000", NOW)
    assert limiter.blocked("M-0099-0000", NOW)
    assert not limiter.blocked("M-0000-0000", NOW)


def test_rating_token_proves_the_lookup_only_for_its_reference_and_time() -> None:
    key = b"k" * 32
    token = domain.rating_token(key, "M-AAAA-BBBB", NOW + timedelta(minutes=30))
    assert domain.check_rating_token(key, "M-AAAA-BBBB", token, NOW)
    assert not domain.check_rating_token(key, "M-CCCC-DDDD", token, NOW)
    assert not domain.check_rating_token(key, "M-AAAA-BBBB", token, NOW + timedelta(hours=1))
    assert not domain.check_rating_token(b"x" * 32, "M-AAAA-BBBB", token, NOW)
    assert not domain.check_rating_token(key, "M-AAAA-BBBB", "garbage", NOW)


def test_unknown_language_falls_back_to_dutch() -> None:
    assert domain.pick_language("de") == "nl"
    assert domain.pick_language("en") == "en"


def test_texts_missing_a_status_are_rejected() -> None:
    data = TEXTS.model_dump()
    del data["statuses"]["arrest"]
    with pytest.raises(ValueError, match="arrest"):
        domain.Texts.model_validate(data)


def test_on_the_same_day_forwarding_is_shown_before_an_outcome_that_arrived_earlier() -> None:
    day = date(2026, 6, 8)
    items = [
        domain.TimelineItem(day, "investigating", "politie"),
        domain.TimelineItem(day, "forwarded", "politie"),
    ]
    entries = domain.render_timeline(date(2026, 6, 7), items, "nl", TEXTS)
    assert [e.status for e in entries] == ["submitted", "forwarded", "investigating"]
