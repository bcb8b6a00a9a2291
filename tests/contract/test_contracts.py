"""The contracts: generated schemas are fresh, events carry CloudEvents headers, ids are deterministic."""

from __future__ import annotations

import argparse
import uuid
from datetime import UTC, datetime

import pytest
from jsonschema import Draft202012Validator

from contracts import RawReport, Reporter, cloudevent_headers, event_id
from contracts.generate import asyncapi, json_schemas
from contracts.generate import main as generate
from contracts.taxonomy import load_taxonomy
from contracts.topics import CORE_TOPICS, partner_topic


def test_generated_schemas_and_asyncapi_are_not_stale() -> None:
    assert generate(argparse.Namespace(check=True)) == 0, "run `make contracts` and commit the result"


def test_every_json_schema_is_a_valid_schema() -> None:
    for schema in json_schemas().values():
        Draft202012Validator.check_schema(schema)


def test_asyncapi_documents_every_topic_with_cloudevents_headers() -> None:
    doc = asyncapi()
    addresses = {c["address"] for c in doc["channels"].values()}
    assert set(CORE_TOPICS) <= addresses
    assert "meldpunt.partner.{partnerId}.v1" in addresses
    for message in doc["components"]["messages"].values():
        assert {"ce_id", "ce_type", "ce_source", "ce_time", "ce_specversion", "traceparent"} <= set(
            message["headers"]["properties"]
        )
        ref = message["payload"]["$ref"].rsplit("/", 1)[-1]
        assert ref in doc["components"]["schemas"]


def test_event_ids_are_deterministic_per_report_and_stage() -> None:
    rid = str(uuid.uuid4())
    assert event_id(rid, "anonymized") == event_id(rid, "anonymized")
    assert event_id(rid, "anonymized") != event_id(rid, "routing")
    assert event_id(rid, "anonymized") != event_id(str(uuid.uuid4()), "anonymized")


def test_cloudevent_headers_have_the_required_attributes() -> None:
    h = cloudevent_headers(ce_id="x", ce_type="t", source="/s", time=datetime(2026, 1, 2, 3, 4, tzinfo=UTC))
    assert h["ce_specversion"] == "1.0" and h["ce_time"] == "2026-01-02T03:04:00Z"


def test_raw_report_and_reporter_never_show_values_in_repr() -> None:
    raw = RawReport(
        report_id=uuid.uuid4(),
        received_at=datetime.now(UTC),
        description="geheim verhaal",
        channel="whatsapp",
        channel_meta={"sender": "+31612345678"},
        reporter=Reporter(name="Jan Jansen", phone="0612345678"),
    )
    for text in (repr(raw), str(raw), repr(raw.reporter), f"{raw}"):
        assert "Jan" not in text and "0612345678" not in text and "geheim" not in text


def test_report_ids_are_random_uuid4() -> None:
    from contracts import IntakePayload
    from services.intake.domain import make_raw_report

    raw = make_raw_report(IntakePayload(description="x"), channel="web")
    assert raw.report_id.version == 4


def test_partner_topics_are_named_by_partner_id_and_reject_odd_ids() -> None:
    assert partner_topic("gemeente-s-gravenhage") == "meldpunt.partner.gemeente-s-gravenhage.v1"
    with pytest.raises(ValueError):
        partner_topic("../politie")


def test_taxonomy_loads_and_help_organisations_resolve() -> None:
    taxonomy = load_taxonomy()
    assert "ondermijning.drugs.hennepkwekerij" in taxonomy.codes()
    assert taxonomy.get("sociale-veiligheid.huiselijk-geweld").help == ["veilig-thuis", "slachtofferhulp"]
