"""Metrics' pure logic: facts from events, small-cell suppression, ratios and chart geometry."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from contracts import AnonymizedReport, Outcome, RoutingDecision, event_id
from contracts.api import CountRow
from services.metrics import domain

K = 5


def anonymized(**overrides: object) -> AnonymizedReport:
    fields: dict[str, object] = {
        "report_id": uuid.uuid4(),
        "channel": "web",
        "description": "x",
        "received_period": "2026-06-07T05:00Z",
        "risk": {"score": 0.1},
        "redactions": {},
    }
    fields.update(overrides)
    return AnonymizedReport.model_validate(fields)


def decision(**overrides: object) -> RoutingDecision:
    fields: dict[str, object] = {
        "report_id": uuid.uuid4(),
        "lead_partner": "politie",
        "partners": ["politie", "om"],
        "legal_domains": ["strafrecht"],
        "category": "misdaad.wapens",
        "rule_ids": ["r1"],
        "ruleset_version": "1",
        "explanation": "x",
    }
    fields.update(overrides)
    return RoutingDecision.model_validate(fields)


# --- facts from events -------------------------------------------------------------------------------


def test_received_hour_is_dutch_time() -> None:
    # 05:00 UTC in June is 07:00 in Amsterdam (summer time).
    assert domain.received_slot("2026-06-07T05:00Z") == (date(2026, 6, 7), 7)


def test_received_time_late_in_utc_falls_on_the_next_dutch_day() -> None:
    assert domain.received_slot("2026-01-04T23:00Z") == (date(2026, 1, 5), 0)


def test_period_coarsened_to_a_day_gives_no_hour() -> None:
    assert domain.received_slot("2026-06-07") == (date(2026, 6, 7), None)


@pytest.mark.parametrize("period", ["2026-W23", "", "yesterday", "2026-06-07Tnoon"])
def test_unreadable_period_gives_neither_day_nor_hour(period: str) -> None:
    assert domain.received_slot(period) == (None, None)


def test_received_facts_keep_category_none_when_reporter_chose_none() -> None:
    facts = domain.received_facts(anonymized(category=None, campaign="poster-2026", channel="whatsapp"))
    assert (facts.category, facts.channel, facts.campaign) == (None, "whatsapp", "poster-2026")


def test_routing_facts_include_the_lead_among_the_partners() -> None:
    facts = domain.routing_facts(decision(lead_partner="goc", partners=[]))
    assert facts.partners == frozenset({"goc"})


def test_supplements_are_not_counted_as_reports() -> None:
    assert domain.counts_as_report("report")
    assert not domain.counts_as_report("supplement")


def test_release_from_triage_names_the_real_lead_and_triage_never_overwrites_it() -> None:
    assert domain.merged_lead_partner("triage", "politie") == "politie"
    assert domain.merged_lead_partner("politie", "triage") == "politie"
    assert domain.merged_lead_partner(None, "triage") == "triage"


def test_outcome_event_id_matches_the_partner_tools_id() -> None:
    outcome = Outcome(
        outcome_id=uuid.uuid4(),
        report_id=uuid.uuid4(),
        partner_id="politie",
        status="arrest",
        occurred_at=datetime(2026, 6, 7, tzinfo=UTC),
    )
    assert domain.outcome_event_id(outcome) == event_id(
        str(outcome.report_id), f"outcome:{outcome.outcome_id}"
    )


# --- suppression -------------------------------------------------------------------------------------


def test_cells_below_k_are_hidden_and_others_shown() -> None:
    rows = domain.suppress([("a", 10), ("b", 4), ("c", 7), ("d", 1)], K)
    assert {r.key: r.count for r in rows} == {"a": 10, "b": None, "c": 7, "d": None}


def test_a_cell_of_exactly_k_is_shown() -> None:
    assert domain.suppress([("a", K), ("b", K + 1)], K)[1].count == K


def test_a_single_hidden_cell_takes_the_next_smallest_with_it() -> None:
    rows = domain.suppress([("a", 10), ("b", 3), ("c", 6), ("d", 8)], K)
    counts = {r.key: r.count for r in rows}
    assert counts["b"] is None and counts["c"] is None
    assert counts["a"] == 10 and counts["d"] == 8


def test_a_lone_cell_below_k_is_hidden() -> None:
    assert domain.suppress([("a", 2)], K) == [CountRow(key="a", count=None)]


def test_visible_cells_come_largest_first_and_hidden_ones_after_by_key() -> None:
    rows = domain.suppress([("z", 1), ("a", 6), ("b", 9), ("c", 2)], K)
    assert [r.key for r in rows] == ["b", "a", "c", "z"]


def test_ordered_dimensions_keep_their_natural_order() -> None:
    rows = domain.suppress([("10", 6), ("2", 7), ("1", 9)], K, ordered=True)
    assert [r.key for r in rows] == ["1", "2", "10"]


def test_total_below_k_is_hidden() -> None:
    assert domain.suppress_total(K - 1, K) is None
    assert domain.suppress_total(K, K) == K


def test_stats_publish_no_count_below_k_anywhere() -> None:
    counts = {
        "category": [("misdaad.wapens", 12), ("onbekend", 2)],
        "partner": [("politie", 12), ("om", 1)],
        "outcome": [("arrest", 3)],
        "channel": [("web", 14)],
        "municipality": [("Almelo", 13), ("Twenterand", 1)],
    }
    stats = domain.stats_of(domain.build_figures(K, 14, counts, arrests=3, first_response_s=[3600.0]))
    for rows in (
        stats.by_category,
        stats.by_partner,
        stats.by_outcome,
        stats.by_channel,
        stats.by_municipality,
    ):
        assert all(r.count is None or r.count >= K for r in rows)
    assert stats.total_reports == 14 and stats.k_threshold == K


# --- ratios and times --------------------------------------------------------------------------------


def test_one_in_n_reports_leads_to_an_arrest() -> None:
    assert domain.one_in_n(total=80, hits=10, k=K) == 8


def test_no_ratio_until_arrests_reach_k() -> None:
    assert domain.one_in_n(total=80, hits=K - 1, k=K) is None


def test_no_ratio_over_too_few_reports() -> None:
    assert domain.one_in_n(total=3, hits=3, k=K) is None


def test_median_first_response_needs_k_reports() -> None:
    assert domain.response_time_hours([3600.0] * (K - 1), K) is None


def test_median_first_response_in_hours() -> None:
    durations = [3600.0, 7200.0, 10800.0, 36000.0, 360000.0]
    assert domain.response_time_hours(durations, K) == 3.0


def test_response_before_the_decision_counts_as_no_wait() -> None:
    assert domain.response_time_hours([-7200.0] * K, K) == 0.0


# --- charts ------------------------------------------------------------------------------------------


def test_largest_bar_spans_the_width_and_hidden_cells_get_no_bar() -> None:
    chart = domain.bar_chart([("a", 10), ("b", 5), ("c", None)], width=300)
    assert [b.width for b in chart.bars] == [300.0, 150.0, 0.0]
    assert chart.bars[2].value is None


def test_heat_grid_has_every_hour_of_the_week_and_hides_suppressed_cells() -> None:
    cells = domain.heat_grid([CountRow(key="1-7", count=10), CountRow(key="5-23", count=None)])
    assert len(cells) == 7 * 24
    by_slot = {(c.weekday, c.hour): c for c in cells}
    assert by_slot[(1, 7)].shade == 1.0
    assert by_slot[(5, 23)].count is None and by_slot[(5, 23)].shade == 0.0
    assert by_slot[(3, 12)].count == 0


def test_unknown_dimension_is_refused() -> None:
    with pytest.raises(domain.UnknownDimension):
        domain.dimension("description")


def test_invalid_calendar_day_gives_neither_day_nor_hour() -> None:
    assert domain.received_slot("2026-02-30") == (None, None)
