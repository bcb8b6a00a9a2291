"""Feedback's subscriptions: receipts, routing decisions and partner outcomes become a reporter's timeline.

Each message is recorded once (its event id commits with the side effect). Nothing a reporter or a
partner wrote is logged: only event ids and reason codes.
"""

from __future__ import annotations

import asyncio
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import asyncpg
import httpx
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from faststream.kafka import KafkaMessage

from contracts import Outcome, Receipt, ReportStatus, RoutingDecision, SatisfactionFeedback, event_id
from contracts.intake import Language
from contracts.topics import FEEDBACK, OUTCOMES, RECEIPTS, ROUTING
from services.feedback import domain, store
from services.feedback.settings import Settings
from services.runtime.kafka import publish_event, subscribe
from services.runtime.logging import get_logger
from services.runtime.service import Service, apply_once

log = get_logger(__name__)
SOURCE = "/meldpunt/feedback"


def register(service: Service) -> None:
    broker, settings = service.broker, service.settings

    async def store_receipt(conn: asyncpg.Connection, receipt: Receipt, _: str) -> str:
        stored = await store.insert_receipt(conn, receipt)
        return "receipt_stored" if stored else "receipt_exists"

    async def record_routing(conn: asyncpg.Connection, decision: RoutingDecision, _: str) -> str:
        report_id = domain.timeline_report_id(decision)
        await store.authorise_partners(conn, report_id, domain.authorised_partners(decision))
        await store.add_timeline_item(
            conn, report_id, "routing", domain.routing_item(decision, datetime.now(UTC))
        )
        return "routing_recorded"

    async def record_outcome(conn: asyncpg.Connection, outcome: Outcome, eid: str) -> str:
        known = await store.routing_known(conn, outcome.report_id)
        authorised = await store.authorised_partners(conn, outcome.report_id) if known else None
        verdict = domain.judge_outcome(outcome, authorised)
        if verdict == "unauthorised_partner":
            log.warning("outcome_ignored", reason=verdict, event_id=eid)
            return verdict
        # A pending outcome is kept; the status lookup shows it once a decision names its partner.
        await store.add_timeline_item(conn, outcome.report_id, "outcome", domain.outcome_item(outcome))
        return "outcome_recorded" if verdict == "accepted" else "outcome_pending"

    @subscribe(broker, settings, RECEIPTS)
    async def on_receipt(msg: KafkaMessage) -> None:
        await apply_once(
            service,
            msg,
            Receipt,
            fallback_id=lambda r: event_id(str(r.report_id), "receipt"),
            apply=store_receipt,
        )

    @subscribe(broker, settings, ROUTING)
    async def on_routing_decision(msg: KafkaMessage) -> None:
        await apply_once(
            service,
            msg,
            RoutingDecision,
            fallback_id=lambda d: event_id(str(d.report_id), "routing"),
            apply=record_routing,
        )

    @subscribe(broker, settings, OUTCOMES)
    async def on_outcome(msg: KafkaMessage) -> None:
        await apply_once(service, msg, Outcome, fallback_id=domain.outcome_event_id, apply=record_outcome)


@dataclass(frozen=True)
class Verified:
    """A receipt whose secret the caller just presented. Carries no secret."""

    report_id: uuid.UUID
    reference: str
    language: Language
    submitted_on: date

    def __repr__(self) -> str:
        return "Verified(<hidden>)"


class StatusDesk:
    """The reporter's side, shared by the JSON API and the status page: look up a timeline, rate, answer
    a partner's question."""

    def __init__(
        self,
        service: Service,
        settings: Settings,
        texts: domain.Texts,
        supplements: SupplementSender | None = None,
    ) -> None:
        self.service = service
        self.settings = settings
        self.texts = texts
        # None when no service token is configured: questions are shown, answers cannot be sent.
        self.supplements = supplements
        self.limiter = domain.FailureLimiter(
            settings.max_failed_lookups, timedelta(seconds=settings.failed_lookup_window_s)
        )
        self._hasher = PasswordHasher()
        # Verified against when a reference is unknown, so that both wrong answers take as long.
        self._dummy_hash = self._hasher.hash(secrets.token_urlsafe(18))
        self._verifying = asyncio.Semaphore(settings.verify_concurrency)
        self._token_key = secrets.token_bytes(32)

    def _matches(self, secret_hash: str, secret: str) -> bool:
        try:
            return bool(self._hasher.verify(secret_hash, secret))
        except (VerificationError, InvalidHashError):
            return False

    async def verify(self, typed_reference: str, secret: str) -> Verified:
        reference = domain.normalise_reference(typed_reference)
        now = datetime.now(UTC)
        if self.limiter.blocked(reference, now):
            raise domain.TooManyAttempts
        row = await store.find_receipt(self.service.pool, reference)
        async with self._verifying:
            # A worker thread keeps the event loop (and the consumers) responsive during Argon2.
            ok = await asyncio.to_thread(
                self._matches, row["secret_hash"] if row else self._dummy_hash, secret
            )
        if row is None or not ok:
            self.limiter.fail(reference, now)
            raise domain.UnknownReceipt
        self.limiter.succeed(reference)
        return Verified(
            report_id=row["report_id"],
            reference=row["reference"],
            language=domain.pick_language(row["language"]),
            submitted_on=domain.local_day(row["created_at"]),
        )

    async def status(self, verified: Verified, lang: Language | None = None) -> ReportStatus:
        return (await self.status_view(verified, lang))[0]

    async def status_view(
        self, verified: Verified, lang: Language | None = None
    ) -> tuple[ReportStatus, bool]:
        """The timeline, and whether the reporter can answer a question on it now."""
        items = await store.visible_timeline(self.service.pool, verified.report_id)
        timeline = domain.render_timeline(verified.submitted_on, items, lang or verified.language, self.texts)
        answerable = self.supplements is not None and domain.open_question(items) is not None
        return ReportStatus(reference=verified.reference, timeline=timeline), answerable

    async def answer(self, verified: Verified, answer: str, lang: Language | None = None) -> None:
        """Send the reporter's answer to the open question through intake, as a supplement to the
        report, and note on the timeline that it was answered. The text itself is kept nowhere here.

        The receipt row is locked meanwhile, so two answers to one question cannot both go out; if
        intake is unreachable nothing is recorded and the reporter may try again."""
        if self.supplements is None:
            raise SupplementUnavailable
        async with self.service.pool.acquire() as conn, conn.transaction():
            await store.lock_receipt(conn, verified.report_id)
            items = await store.visible_timeline(conn, verified.report_id)
            submission_id = domain.answer_submission_id(verified.report_id, items)
            await self.supplements.send(verified.report_id, lang or verified.language, answer, submission_id)
            await store.add_timeline_item(
                conn, verified.report_id, "reporter", domain.answered_item(datetime.now(UTC))
            )
        self.service.metrics.count("answered")

    def rating_token(self, verified: Verified) -> str:
        expires = datetime.now(UTC) + timedelta(seconds=self.settings.rating_token_ttl_s)
        return domain.rating_token(self._token_key, verified.reference, expires)

    async def verify_token(self, typed_reference: str, token: str) -> Verified:
        reference = domain.normalise_reference(typed_reference)
        if not domain.check_rating_token(self._token_key, reference, token, datetime.now(UTC)):
            raise domain.RatingExpired
        row = await store.find_receipt(self.service.pool, reference)
        if row is None:  # purged since the page was shown
            raise domain.RatingExpired
        return Verified(
            row["report_id"],
            row["reference"],
            domain.pick_language(row["language"]),
            domain.local_day(row["created_at"]),
        )

    async def rate(self, verified: Verified, score: int) -> None:
        """Publish the rating (one per report). The time is the day only: a rating moment could correlate."""
        if not self.service.broker_ready.is_set():
            raise BrokerUnavailable
        if not await store.mark_rated(self.service.pool, verified.report_id):
            raise domain.AlreadyRated
        today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        event = SatisfactionFeedback(report_id=verified.report_id, score=score, rated_at=today)
        try:
            await publish_event(
                self.service.broker,
                FEEDBACK,
                event,
                key=str(verified.report_id),
                stage="feedback",
                source=SOURCE,
                time=today,
            )
        except Exception:  # noqa: BLE001 - any broker failure: let the reporter rate again later
            await store.unmark_rated(self.service.pool, verified.report_id)
            raise BrokerUnavailable from None
        self.service.metrics.count("rated")


class BrokerUnavailable(Exception):
    """The rating could not be published now; the reporter may try again."""


class SupplementUnavailable(Exception):
    """The answer could not be handed to intake now (not configured, unreachable, refused)."""


class SupplementSender:
    """Hands a reporter's answer to intake's internal supplement route, with the shared service token.

    Intake encrypts it into the raw path like any report, so the anonymizer cleans it before a partner
    sees it. Neither the text nor the token is ever logged; failures are logged by kind only.
    """

    PATH = "/internal/v1/supplements"

    def __init__(
        self,
        intake_url: str,
        token: str,
        timeout_s: float,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.url = intake_url.rstrip("/") + self.PATH
        self._token = token
        self.timeout_s = timeout_s
        self._transport = transport  # tests hand in a mock transport

    def __repr__(self) -> str:
        return f"SupplementSender(url={self.url}, token=<hidden>)"

    async def send(
        self, report_id: uuid.UUID, language: Language, answer: str, submission_id: uuid.UUID
    ) -> None:
        body = {
            "supplement_to": str(report_id),
            "language": language,
            "description": answer,
            "submission_id": str(submission_id),
        }
        try:
            async with httpx.AsyncClient(
                timeout=self.timeout_s, follow_redirects=False, transport=self._transport
            ) as client:
                response = await client.post(
                    self.url, json=body, headers={"Authorization": f"Bearer {self._token}"}
                )
        except httpx.HTTPError as exc:
            log.warning("supplement_not_sent", reason=type(exc).__name__)
            raise SupplementUnavailable from None
        if response.status_code != 202:
            log.warning("supplement_not_sent", reason="intake_refused", status=response.status_code)
            raise SupplementUnavailable
