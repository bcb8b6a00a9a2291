"""Property-based tests: reporter values never survive, anywhere, in any common format; subject values do."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.anonymizer.domain import Anonymizer

from .cases import occurs
from .conftest import make_raw

FIELDS = ("description", "incident.location.description", "subjects[0].description")
FIRST_NAMES = ["Marieke", "Joost", "Fatima", "Sven", "Anouk", "Kwame", "Priya", "Lieke", "Bram", "Noor"]
SURNAMES = ["Wolters", "Brinkman", "El Amrani", "Oude Luttikhuis", "van der Heijden", "Kuipers", "Demir"]
STREETS = ["Julianastraat", "Dorpsstraat", "Kerkweg", "Molenlaan", "Stationsplein", "Beukenhof"]
SUBJECT_STREETS = ["Havenkade", "Industrieweg", "Marktplein", "Spoorsingel"]
DOMAINS = ["gmail.com", "hotmail.com", "ziggo.nl", "kpnmail.nl", "proton.me"]
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def phone_formats(nsn: str) -> list[str]:
    """The ways Dutch reporters write one mobile number (nsn = '6' + 8 digits)."""
    d = nsn[1:]
    return [
        f"06-{d}",
        f"06 {d[:4]} {d[4:]}",
        f"+31 6 {d[:4]} {d[4:]}",
        f"0031{nsn}",
        f"(06) {d[:4]} {d[4:]}",
        f"+31{nsn}",
        f"06 {d[:2]} {d[2:4]} {d[4:6]} {d[6:]}",
        f"+31 (0)6 {d}",
        f"06.{d[:2]}.{d[2:4]}.{d[4:6]}.{d[6:]}",
    ]


mobile = st.text(alphabet="0123456789", min_size=8, max_size=8).map(lambda d: "6" + d)
contexts = st.sampled_from(
    [
        "{v}",
        "zie {v} hierboven",
        "({v})",
        "meer info: {v}.",
        "{v} - graag anoniem",
        "you can reach {v} anytime",
    ]
)
local_parts = st.from_regex(r"[a-z]{2,8}[._]?[a-z]{0,8}[0-9]{0,3}", fullmatch=True).filter(
    lambda s: len(s) >= 4
)


def _raw_with(field: str, text: str, reporter: dict[str, Any], **extra: Any) -> Any:
    base = "Bij de loods aan de Havenkade 3 worden 's nachts vaten gelost door een man in een rode jas."
    data: dict[str, Any] = {
        "incident": {
            "location": {"street": "Havenkade", "house_number": "3", "description": "achter de loods"}
        },
        "subjects": [{"kind": "person", "description": "man in rode jas"}],
        "reporter": reporter,
    }
    data.update(extra)
    if field == "description":
        return make_raw(f"{base} {text}", **data)
    if field == "incident.location.description":
        data["incident"]["location"]["description"] = f"achter de loods, {text}"
        return make_raw(base, **data)
    data["subjects"][0]["description"] = f"man in rode jas, {text}"
    return make_raw(base, **data)


def _output(anonymizer: Anonymizer, raw: Any) -> dict[str, Any]:
    return json.loads(anonymizer.anonymize(raw).model_dump_json())


@SETTINGS
@given(
    nsn=mobile,
    given_format=st.integers(0, 8),
    text_format=st.integers(0, 8),
    field=st.sampled_from(FIELDS),
    context=contexts,
)
def test_reporter_phone_in_any_format_is_removed_from_every_field(
    anonymizer: Anonymizer, nsn: str, given_format: int, text_format: int, field: str, context: str
) -> None:
    formats = phone_formats(nsn)
    raw = _raw_with(field, context.format(v=formats[text_format]), {"phone": formats[given_format]})
    assert not occurs("phone", formats[0], _output(anonymizer, raw))


@SETTINGS
@given(
    nsn=mobile,
    text_format=st.integers(0, 8),
    field=st.sampled_from(FIELDS),
    context=contexts,
    meta_key=st.sampled_from(["sender", "caller_id", "from"]),
)
def test_channel_number_is_removed_from_every_field(
    anonymizer: Anonymizer, nsn: str, text_format: int, field: str, context: str, meta_key: str
) -> None:
    formats = phone_formats(nsn)
    raw = _raw_with(field, context.format(v=formats[text_format]), {}, channel_meta={meta_key: f"+31{nsn}"})
    assert not occurs("phone", formats[0], _output(anonymizer, raw))


@SETTINGS
@given(
    local=local_parts,
    domain=st.sampled_from(DOMAINS),
    field=st.sampled_from(FIELDS),
    context=contexts,
    upper=st.booleans(),
    local_only=st.booleans(),
)
def test_reporter_email_and_its_local_part_are_removed(
    anonymizer: Anonymizer, local: str, domain: str, field: str, context: str, upper: bool, local_only: bool
) -> None:
    email = f"{local}@{domain}"
    shown = local if local_only else email
    shown = shown.upper() if upper else shown
    raw = _raw_with(field, context.format(v=shown), {"email": email})
    out = _output(anonymizer, raw)
    assert not occurs("email", email, out) and not occurs("name", local, out)


@SETTINGS
@given(
    first=st.sampled_from(FIRST_NAMES),
    last=st.sampled_from(SURNAMES),
    field=st.sampled_from(FIELDS),
    shown=st.sampled_from(["full", "first", "last", "lower", "upper"]),
    context=contexts,
)
def test_reporter_name_and_its_parts_are_removed(
    anonymizer: Anonymizer, first: str, last: str, field: str, shown: str, context: str
) -> None:
    full = f"{first} {last}"
    value = {"full": full, "first": first, "last": last, "lower": full.lower(), "upper": full.upper()}[shown]
    raw = _raw_with(field, context.format(v=value), {"name": full})
    out = _output(anonymizer, raw)
    assert not occurs("name", value, out)


@SETTINGS
@given(
    street=st.sampled_from(STREETS),
    number=st.integers(1, 399),
    field=st.sampled_from(FIELDS),
    style=st.sampled_from(["{s} {n}", "{s} nr. {n}", "{s} {n}, Almelo", "nummer {n}"]),
)
def test_reporter_address_is_removed(
    anonymizer: Anonymizer, street: str, number: int, field: str, style: str
) -> None:
    raw = _raw_with(
        field, "ik woon op " + style.format(s=street, n=number), {"address": f"{street} {number}"}
    )
    out = _output(anonymizer, raw)
    assert not occurs("address", f"{street} {number}", out)
    assert not occurs("address", f"nummer {number}", out)


plates = st.tuples(
    st.text(alphabet="BDFGHJKLNPRSTVXZ", min_size=2, max_size=2),
    st.text(alphabet="0123456789", min_size=3, max_size=3),
    st.text(alphabet="BDFGHJKLNPRSTVXZ", min_size=1, max_size=1),
).map(lambda t: "-".join(t))


@SETTINGS
@given(
    plate=plates,
    street=st.sampled_from(SUBJECT_STREETS),
    number=st.integers(1, 399),
    rep_street=st.sampled_from(STREETS),
    rep_number=st.integers(1, 399),
    nsn=mobile,
    field=st.sampled_from(FIELDS),
    first=st.sampled_from(FIRST_NAMES),
    last=st.sampled_from(SURNAMES),
)
def test_subject_values_that_are_not_reporter_values_survive(
    anonymizer: Anonymizer,
    plate: str,
    street: str,
    number: int,
    rep_street: str,
    rep_number: int,
    nsn: str,
    field: str,
    first: str,
    last: str,
) -> None:
    subject_phone = phone_formats(nsn)[0]
    text = (
        f"de verdachte rijdt in een auto met kenteken {plate}, woont op {street} {number} "
        f"en belt vanaf {subject_phone}"
    )
    reporter = {
        "name": f"{first} {last}",
        "address": f"{rep_street} {rep_number}",
        "phone": "+31 6 9999 0000",
        "email": "melder@example.org",
    }
    out = _output(anonymizer, _raw_with(field, text, reporter))
    assert occurs("plate", plate, out)
    assert occurs("address", f"{street} {number}", out)
    assert occurs("phone", subject_phone, out)
