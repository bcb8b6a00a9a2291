"""Generate the JSON Schemas and the AsyncAPI document from the models (``meldpunt contracts``).

The generated files are committed so that partners can read them without Python; a test fails when
they are stale.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from contracts import api, events, intake, topics

OUT = Path(__file__).parent
SCHEMAS: dict[str, type[BaseModel]] = {
    "intake-payload.v1": intake.IntakePayload,
    "raw-report.v1": events.RawReport,
    "anonymized-report.v1": events.AnonymizedReport,
    "routing-decision.v1": events.RoutingDecision,
    "routed-report.v1": events.RoutedReport,
    "receipt.v1": events.Receipt,
    "outcome.v1": events.Outcome,
    "satisfaction-feedback.v1": events.SatisfactionFeedback,
    "deadletter.v1": events.DeadLetter,
    "receipt-issued.v1": api.ReceiptIssued,
    "status-request.v1": api.StatusRequest,
    "report-status.v1": api.ReportStatus,
    "stats.v1": api.Stats,
}

# topic (or pattern) -> (message model, who writes, who reads, description)
CHANNELS: list[tuple[str, str, str, str, str]] = [
    (
        topics.RAW_REPORTS,
        "RawReport",
        "intake",
        "anonymizer",
        "Raw report, sealed (libsodium sealed box) to the anonymizer's public key: the value is ciphertext "
        "of the RawReport JSON. Short retention.",
    ),
    (topics.RECEIPTS, "Receipt", "intake", "feedback", "Receipt reference and Argon2id hash of its secret."),
    (
        topics.ANONYMIZED_REPORTS,
        "AnonymizedReport",
        "anonymizer",
        "router, metrics",
        "Report with everything that identifies the reporter removed.",
    ),
    (
        topics.ROUTING,
        "RoutingDecision",
        "router",
        "feedback, metrics",
        "Routing decision, no report content.",
    ),
    (
        "meldpunt.partner.{partnerId}.v1",
        "RoutedReport",
        "router",
        "that partner only",
        "Reports routed to one partner, minimised to the fields that partner receives.",
    ),
    (topics.OUTCOMES, "Outcome", "partners", "feedback, metrics", "Outcome events published by partners."),
    (topics.FEEDBACK, "SatisfactionFeedback", "feedback", "metrics", "Reporter satisfaction, no free text."),
    (
        topics.DEADLETTER,
        "DeadLetter",
        "every service",
        "operators",
        "Messages a consumer could not process, with a reason code; raw payloads stay encrypted.",
    ),
]

CE_HEADERS = {
    "type": "object",
    "description": "CloudEvents 1.0 binary-mode attributes and W3C trace context, as Kafka headers.",
    "properties": {
        "ce_specversion": {"type": "string", "const": "1.0"},
        "ce_id": {"type": "string", "description": "Deterministic: uuid5 of (report id, stage)."},
        "ce_type": {"type": "string"},
        "ce_source": {"type": "string"},
        "ce_time": {"type": "string", "format": "date-time"},
        "traceparent": {"type": "string", "description": "W3C Trace Context."},
        "content-type": {"type": "string"},
        "meldpunt_priority": {
            "type": "string",
            "enum": ["normal", "urgent"],
            "description": "On partner topics: urgent reports (ongoing danger) can be taken first.",
        },
    },
    "required": ["ce_specversion", "ce_id", "ce_type", "ce_source", "ce_time"],
}


def json_schemas() -> dict[str, dict[str, Any]]:
    return {name: model.model_json_schema() for name, model in SCHEMAS.items()}


def asyncapi() -> dict[str, Any]:
    models = {m.__name__: m for m in SCHEMAS.values()}
    components: dict[str, Any] = {"messages": {}, "schemas": {}}
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for address, model_name, writer, reader, description in CHANNELS:
        schema = models[model_name].model_json_schema(ref_template="#/components/schemas/{model}")
        for name, sub in schema.pop("$defs", {}).items():
            components["schemas"][name] = sub
        components["schemas"][model_name] = schema
        components["messages"][model_name] = {
            "name": model_name,
            "contentType": "application/json",
            "headers": CE_HEADERS,
            "payload": {"$ref": f"#/components/schemas/{model_name}"},
        }
        channel_id = address.replace("meldpunt.", "").replace(".", "-").replace("{partnerId}", "partner")
        channel: dict[str, Any] = {
            "address": address,
            "description": f"{description} Written by {writer}; read by {reader}.",
            "messages": {model_name: {"$ref": f"#/components/messages/{model_name}"}},
        }
        if "{partnerId}" in address:
            channel["parameters"] = {
                "partnerId": {"description": "Partner id, e.g. politie, gemeente-almelo."}
            }
        channels[channel_id] = channel
        operations[f"publish-{channel_id}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{channel_id}"},
            "summary": f"{writer} publishes",
        }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Meldpunt events",
            "version": "1.0.0",
            "description": "Topics, events and headers of the Meldpunt platform. Partners read their "
            "routed-report topic and publish outcome events.",
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": components,
    }


def rendered() -> dict[Path, str]:
    files = {
        OUT / "schemas" / f"{name}.json": json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True)
        + "\n"
        for name, schema in json_schemas().items()
    }
    files[OUT / "asyncapi.yaml"] = yaml.safe_dump(asyncapi(), sort_keys=False, allow_unicode=True, width=100)
    return files


def main(args: argparse.Namespace | None = None) -> int:
    files = rendered()
    if args is not None and getattr(args, "check", False):
        stale = [
            str(p.relative_to(OUT.parent))
            for p, text in files.items()
            if not p.exists() or p.read_text(encoding="utf-8") != text
        ]
        if stale:
            print("stale generated contracts (run `make contracts`): " + ", ".join(stale), file=sys.stderr)
            return 1
        return 0
    (OUT / "schemas").mkdir(exist_ok=True)
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    print(f"wrote {len(files)} files")
    return 0
