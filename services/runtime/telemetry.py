"""OpenTelemetry tracing and Prometheus metrics for a service.

Spans follow a report across Kafka hops through the W3C ``traceparent`` header, which FastStream's
telemetry middleware writes on publish and reads on consume.
"""

from __future__ import annotations

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter
from prometheus_client import CollectorRegistry, Counter, Gauge

from services.runtime.settings import ServiceSettings


def configure_tracing(settings: ServiceSettings) -> TracerProvider:
    provider = TracerProvider(resource=Resource.create({"service.name": f"meldpunt-{settings.service_name}"}))
    if settings.otel_exporter_otlp_endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        endpoint = settings.otel_exporter_otlp_endpoint.rstrip("/") + "/v1/traces"
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
    if settings.otel_console:
        provider.add_span_processor(BatchSpanProcessor(ConsoleSpanExporter()))
    trace.set_tracer_provider(provider)
    return provider


class ServiceMetrics:
    """The service's own Prometheus metrics. Labels are low-cardinality codes, never report data."""

    def __init__(self, service: str) -> None:
        self.registry = CollectorRegistry()
        self.service = service
        self.processed = Counter(
            "meldpunt_reports_processed",
            "Messages a service handled, by outcome.",
            ["service", "outcome"],
            registry=self.registry,
        )
        self.deadletters = Counter(
            "meldpunt_deadletters",
            "Messages sent to the dead-letter topic, by reason code.",
            ["service", "reason"],
            registry=self.registry,
        )
        self.outbox_pending = Gauge(
            "meldpunt_outbox_pending",
            "Outbox records not yet published.",
            ["service"],
            registry=self.registry,
        )

    def count(self, outcome: str) -> None:
        self.processed.labels(self.service, outcome).inc()

    def deadletter(self, reason: str) -> None:
        self.deadletters.labels(self.service, reason).inc()
