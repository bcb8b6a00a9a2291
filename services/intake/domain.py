"""Intake's logic: receipts, the raw report intake adds to a payload, and advice for the reporter."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from argon2 import PasswordHasher
from nacl.secret import SecretBox

from contracts import IntakePayload, RawReport, Receipt
from contracts.events import Channel
from contracts.taxonomy import Taxonomy

# Crockford base32 without look-alikes: easy to read out over the phone.
_REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_HASHER = PasswordHasher()  # Argon2id with the library's current recommended parameters


@dataclass(frozen=True)
class ReceiptSecret:
    reference: str
    secret: str

    def __repr__(self) -> str:
        return f"ReceiptSecret(reference={self.reference}, secret=<hidden>)"


def new_receipt() -> ReceiptSecret:
    """A reference to quote (40 random bits, unrelated to the report id) and a secret shown once."""
    chars = [secrets.choice(_REFERENCE_ALPHABET) for _ in range(8)]
    reference = "M-" + "".join(chars[:4]) + "-" + "".join(chars[4:])
    return ReceiptSecret(reference=reference, secret=secrets.token_urlsafe(18))


def hash_secret(secret: str) -> str:
    return _HASHER.hash(secret)


def make_raw_report(
    payload: IntakePayload,
    *,
    channel: Channel,
    channel_meta: dict[str, str] | None = None,
    now: datetime | None = None,
    supplement_to: uuid.UUID | None = None,
) -> RawReport:
    """The payload plus what intake adds. The report id is random (UUIDv4): never time-ordered."""
    return RawReport(
        **payload.model_dump(),
        report_id=uuid.uuid4(),
        kind="supplement" if supplement_to else "report",
        supplement_to=supplement_to,
        channel=channel,
        channel_meta=channel_meta or {},
        received_at=now or datetime.now(UTC),
    )


def receipt_event(raw: RawReport, receipt: ReceiptSecret) -> Receipt:
    wants = raw.reporter.wants_feedback if raw.reporter else True
    return Receipt(
        report_id=raw.report_id,
        reference=receipt.reference,
        secret_hash=hash_secret(receipt.secret),
        wants_feedback=wants,
        language=raw.language,
    )


def submission_hash(submission_id: uuid.UUID) -> bytes:
    return hashlib.sha256(b"meldpunt-submission:" + submission_id.bytes).digest()


def _submission_box(submission_id: uuid.UUID) -> SecretBox:
    key = hashlib.blake2b(submission_id.bytes, person=b"meldpunt-rcpt", digest_size=32).digest()
    return SecretBox(key)


def seal_secret(submission_id: uuid.UUID, secret: str) -> bytes:
    return bytes(_submission_box(submission_id).encrypt(secret.encode()))


def open_secret(submission_id: uuid.UUID, box: bytes) -> str:
    return bytes(_submission_box(submission_id).decrypt(box)).decode()


URGENT_ADVICE = {
    "nl": "Is er nu gevaar? Bel direct 112. Een melding hier is geen spoedmelding.",
    "en": "Is anyone in danger right now? Call 112 immediately. A report here is not an emergency call.",
}


def advice(payload: IntakePayload, taxonomy: Taxonomy) -> tuple[str | None, list[str]]:
    """Urgent advice (call 112) and the help organisations that fit the category."""
    lang = payload.language
    urgent = URGENT_ADVICE[lang] if payload.incident and payload.incident.ongoing else None
    category = taxonomy.get(payload.category)
    help_orgs = [getattr(taxonomy.help_organisations[h], lang) for h in (category.help if category else [])]
    return urgent, help_orgs
