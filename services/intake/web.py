"""The reporter's web form: server-rendered HTML in Dutch and English that works without JavaScript.

``GET /`` shows the form, ``POST /`` accepts a report through the same use case as the API and shows
the receipt once. The form → payload mapping lives in ``forms.py``; this module is the HTTP edge.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import yaml
from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from nacl.public import PublicKey

from contracts import IntakePayload
from contracts.intake import (
    ACCEPTED_ATTACHMENT_TYPES,
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS,
    MAX_DESCRIPTION_CHARS,
)
from contracts.taxonomy import Taxonomy, load_taxonomy
from services.intake import domain, forms, handlers
from services.intake.forms import FieldError, FormInvalid, MalformedForm
from services.runtime.logging import get_logger
from services.runtime.service import Service

log = get_logger(__name__)

HERE = Path(__file__).parent
I18N_DIR = HERE / "i18n"
STATIC_PATH = "/static"

# The pages load nothing but their own stylesheet: no scripts at all, no third parties, no framing.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
PAGE_HEADERS = {
    # A shared or seized device must not keep the receipt or the report in its cache.
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
STATIC_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "public, max-age=3600",
}
TYPE_NAMES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WebP"}


class BodyTooLarge(Exception):
    pass


@cache
def load_texts() -> dict[str, dict[str, Any]]:
    """The nl and en texts, checked at start-up to have the same keys: a missing text is a bug."""
    texts = {
        lang: yaml.safe_load((I18N_DIR / f"{lang}.yaml").read_text(encoding="utf-8"))
        for lang in forms.LANGUAGES
    }
    shapes = {lang: _shape(t) for lang, t in texts.items()}
    if shapes["nl"] != shapes["en"]:
        raise ValueError(f"i18n files differ in keys: {sorted(shapes['nl'] ^ shapes['en'])}")
    for name in [*forms.TEXT_LIMITS, *forms.CHECKBOXES, "category", "subject_kind", forms.ATTACHMENTS_FIELD]:
        if name not in texts["nl"]["fields"]:
            raise ValueError(f"i18n: no label for form field {name!r}")
    return texts


def _shape(node: Any, prefix: str = "") -> set[str]:
    if isinstance(node, dict):
        return {k for key, v in node.items() for k in {f"{prefix}{key}"} | _shape(v, f"{prefix}{key}.")}
    if isinstance(node, list):
        return {f"{prefix}[{len(node)}]"}
    return set()


def format_number(n: int, lang: str) -> str:
    text = f"{n:,}"
    return text.replace(",", ".") if lang == "nl" else text


def format_size(n_bytes: int, lang: str) -> str:
    mb = n_bytes / (1024 * 1024)
    text = f"{mb:.0f} MB" if mb >= 10 or mb.is_integer() else f"{mb:.1f} MB"
    return text.replace(".", ",") if lang == "nl" else text


def accepted_types_text(lang: str) -> str:
    names = [TYPE_NAMES.get(t, t) for t in ACCEPTED_ATTACHMENT_TYPES]
    joiner = load_texts()[lang]["options"]["types_or"]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {joiner} {names[-1]}"


def error_messages(errors: Sequence[FieldError], lang: str) -> list[tuple[str, str]]:
    """(field, message) pairs in the reporter's language for the error summary and the inputs."""
    t = load_texts()[lang]
    out = []
    for err in errors:
        params: dict[str, Any] = dict(err.params)
        if err.code == "too_long":
            params["max"] = format_number(int(params["max"]), lang)
            params["count"] = format_number(int(params["count"]), lang)
        elif err.code == "file_too_large":
            params["size"] = format_size(int(params["size"]), lang)
            params["max"] = format_size(int(params["max"]), lang)
        label = t["fields"].get(err.field, {}).get("label", "")
        out.append(
            (err.field, t["errors"][err.code].format(label=label, types=accepted_types_text(lang), **params))
        )
    return out


def same_origin(headers: Mapping[str, str]) -> bool:
    """Is this POST from our own page? Checked without cookies (see ``install``).

    ``Sec-Fetch-Site`` is set by the browser itself and cannot be forged by another site. ``Origin`` is
    compared with ``Host`` when it is a real origin: our pages send ``Referrer-Policy: no-referrer``,
    under which browsers send ``Origin: null`` for a same-origin form post, so "null" alone proves
    nothing either way. A reverse proxy in front must pass the original ``Host`` on.
    """
    site = headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    origin = headers.get("origin")
    if origin is None or origin == "null":
        return True
    return urlsplit(origin).netloc.lower() == headers.get("host", "").lower()


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body in memory, refused once it passes the limit (also for chunked bodies)."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            await drain(request, limit)
            raise BodyTooLarge
    return bytes(body)


async def drain(request: Request, limit: int) -> None:
    """Read and drop the rest of a refused upload (bounded), so the browser shows our page rather than
    a reset connection, which is what it shows when the server closes while it is still sending."""
    seen = 0
    async for chunk in request.stream():
        seen += len(chunk)
        if seen > 8 * limit:
            return


class FormPages:
    """Renders the form, the receipt and the error pages in one language."""

    def __init__(self, taxonomy: Taxonomy, status_url: str, max_body_bytes: int) -> None:
        self.taxonomy = taxonomy
        self.status_url = status_url
        self.max_body_bytes = max_body_bytes
        self.env = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=select_autoescape(default=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def _common(self, lang: str) -> dict[str, Any]:
        return {"lang": lang, "t": load_texts()[lang], "static": STATIC_PATH}

    def _limits(self, lang: str) -> dict[str, str]:
        return {
            "max": format_number(MAX_DESCRIPTION_CHARS, lang),
            "types": accepted_types_text(lang),
            "max_files": str(MAX_ATTACHMENTS),
            "max_mb": format_size(MAX_ATTACHMENT_BYTES, lang).removesuffix(" MB"),
            "total_mb": format_size(self.max_body_bytes, lang).removesuffix(" MB"),
        }

    def form(
        self,
        lang: str,
        values: Mapping[str, str],
        errors: Sequence[FieldError] = (),
        *,
        had_files: bool = False,
        status_code: int = 200,
    ) -> HTMLResponse:
        messages = error_messages(errors, lang)
        if had_files and errors:
            messages.append((forms.ATTACHMENTS_FIELD, load_texts()[lang]["errors"]["files_again"]))
        error_for: dict[str, list[str]] = {}
        for name, message in messages:
            error_for.setdefault(name, []).append(message)
        other = "en" if lang == "nl" else "nl"
        query = {"lang": other, **({"campaign": values["campaign"]} if values.get("campaign") else {})}
        html = self.env.get_template("form.html").render(
            **self._common(lang),
            switch_lang=other,
            switch_url="/?" + urlencode(query),
            values=values,
            errors=messages,
            error_for=error_for,
            categories=[(c.code, c.nl if lang == "nl" else c.en) for c in self.taxonomy.categories],
            unknown_category=forms.UNKNOWN_CATEGORY,
            subject_kinds=forms.SUBJECT_KINDS,
            text_limits=forms.TEXT_LIMITS,
            limits=self._limits(lang),
            accept=",".join(
                [
                    *ACCEPTED_ATTACHMENT_TYPES,
                    *sorted({"." + e for e in forms.EXTENSIONS.values()}),
                    *([".jpeg"] if "image/jpeg" in ACCEPTED_ATTACHMENT_TYPES else []),
                ]
            ),
        )
        return HTMLResponse(html, status_code=status_code)

    def receipt(self, lang: str, accepted: handlers.Accepted, payload: IntakePayload) -> HTMLResponse:
        urgent, help_orgs = domain.advice(payload, self.taxonomy)
        category = payload.category or ""
        html = self.env.get_template("receipt.html").render(
            **self._common(lang),
            reference=accepted.receipt.reference,
            secret=accepted.receipt.secret,
            status_url=self.status_url,
            urgent=urgent,
            help_orgs=help_orgs,
            social_safety=category.startswith("sociale-veiligheid."),
        )
        return HTMLResponse(html)

    def problem(self, lang: str, kind: str, status_code: int) -> HTMLResponse:
        t = load_texts()[lang]["error_page"]
        html = self.env.get_template("problem.html").render(
            **self._common(lang),
            title=t[f"{kind}_title"],
            text=t[f"{kind}_text"].format(total_mb=self._limits(lang)["total_mb"]),
        )
        return HTMLResponse(html, status_code=status_code)


def install(service: Service, public_key: PublicKey) -> None:
    """Add the form's routes, its stylesheet and its response headers to intake's HTTP app.

    No cookies at all, so no CSRF token cookie either: there is no session and no login to ride on,
    and the form is public and anonymous, so a forged post can do nothing a direct post could not.
    What is still worth refusing is another site posting through a visitor's browser; that is
    checked with ``Sec-Fetch-Site`` and ``Origin`` (``same_origin``), which works whatever the
    browser does with SameSite.
    """
    settings: Any = service.settings
    load_texts()  # fail at start-up, not on the first reporter, when a text is missing
    pages = FormPages(load_taxonomy(), settings.public_status_url, settings.max_body_bytes)
    app = service.http
    app.mount(STATIC_PATH, StaticFiles(directory=HERE / "static"), name="intake-static")

    @app.get("/", include_in_schema=False)
    async def show_form(request: Request) -> Response:
        lang = forms.language_of(request.query_params.get("lang"))
        values = {
            "campaign": forms.campaign_of(request.query_params.get("campaign")) or "",
            # A double click or a reload of the receipt page returns the same receipt, not a second report.
            "submission_id": str(uuid.uuid4()),
            "wants_feedback": "on",
        }
        return pages.form(lang, values)

    @app.post("/", include_in_schema=False)
    async def submit(request: Request) -> Response:
        lang = forms.language_of(request.query_params.get("lang"))
        if not same_origin(request.headers):
            return pages.problem(lang, "forbidden", 403)
        try:
            body = await read_body(request, settings.max_body_bytes)
            fields, files = forms.parse_body(body, request.headers.get("content-type", ""))
        except BodyTooLarge:
            return pages.problem(lang, "too_large", 413)
        except MalformedForm:
            return pages.problem(lang, "malformed", 400)
        lang = forms.language_of(fields.get("language"))
        had_files = any(f.filename or f.data for f in files)
        try:
            payload = forms.payload_from_form(fields, files, category_codes=pages.taxonomy.codes())
        except FormInvalid as exc:
            service.metrics.count("form_invalid")
            return pages.form(lang, fields, exc.errors, had_files=had_files, status_code=422)
        try:
            accepted = await handlers.accept_report(service.pool, public_key, payload, channel="web")
        except Exception as exc:  # noqa: BLE001 - the reporter gets their input back, never a trace
            log.error("web_report_failed", error=type(exc).__name__)
            return pages.form(
                lang, fields, [FieldError("description", "unavailable")], had_files=had_files, status_code=503
            )
        service.metrics.count("replayed" if accepted.replayed else "accepted")
        return pages.receipt(lang, accepted, payload)

    @app.middleware("http")
    async def form_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        # Added last, so it runs first: a too-large form post gets a page in the reporter's language
        # instead of the API's JSON answer. Nothing about the request (content, address) is logged.
        path = request.url.path
        if path == "/" and request.method == "POST":
            length = request.headers.get("content-length")
            if length is not None and (not length.isdigit() or int(length) > settings.max_body_bytes):
                lang = forms.language_of(request.query_params.get("lang"))
                await drain(request, settings.max_body_bytes)
                response: Response = pages.problem(lang, "too_large", 413)
            else:
                response = await call_next(request)
        else:
            response = await call_next(request)
        if path == "/":
            response.headers.update(PAGE_HEADERS)
        elif path.startswith(STATIC_PATH + "/"):
            response.headers.update(STATIC_HEADERS)
        return response
