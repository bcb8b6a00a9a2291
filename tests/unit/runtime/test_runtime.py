"""Shared runtime pieces: settings fallback, sealed boxes, log scrubbing, schema errors without values."""

from __future__ import annotations

import json

import pytest
from nacl.public import PrivateKey
from pydantic import ValidationError

from contracts import IntakePayload
from services.intake.settings import Settings as IntakeSettings
from services.router.settings import Settings as RouterSettings
from services.runtime.crypto import DecryptError, decrypt, encrypt, load_or_create_secret
from services.runtime.kafka import DeadLetterError, parse_model, schema_error_detail
from services.runtime.logging import _scrub


def test_service_prefix_overrides_the_platform_wide_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MELDPUNT_KAFKA_BOOTSTRAP", "kafka:9092")
    monkeypatch.setenv("MELDPUNT_INTAKE_KAFKA_BOOTSTRAP", "other:9092")
    assert IntakeSettings().kafka_bootstrap == "other:9092"
    assert RouterSettings().kafka_bootstrap == "kafka:9092"


def test_each_service_has_its_own_port_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MELDPUNT_INTAKE_HTTP_PORT", "9999")
    assert IntakeSettings().http_port == 9999
    assert RouterSettings().http_port == 8084


def test_sealed_box_round_trip_and_wrong_key_fails() -> None:
    key = PrivateKey.generate()
    box = encrypt(b"melding", key.public_key)
    assert b"melding" not in box
    assert decrypt(box, key) == b"melding"
    with pytest.raises(DecryptError):
        decrypt(box, PrivateKey.generate())
    with pytest.raises(DecryptError):
        decrypt(b"garbage", key)


def test_location_secret_is_made_once_and_reused(tmp_path: pytest.TempPathFactory) -> None:
    first = load_or_create_secret(None, tmp_path, "location")  # type: ignore[arg-type]
    assert len(first) == 32
    assert load_or_create_secret(None, tmp_path, "location") == first  # type: ignore[arg-type]


def test_log_scrubber_blanks_keys_that_could_carry_reporter_data() -> None:
    event = _scrub(
        None, "info", {"event": "x", "description": "Jan woont hier", "phone": "0612345678", "n": 3}
    )
    assert event["description"] == "[removed]" and event["phone"] == "[removed]" and event["n"] == 3


def test_schema_errors_name_fields_never_values() -> None:
    body = json.dumps({"description": "", "reporter": {"name": "Jan Jansen", "oops": "0612345678"}}).encode()
    with pytest.raises(DeadLetterError) as info:
        parse_model(IntakePayload, body)
    assert info.value.reason == "bad_schema"
    assert "reporter.oops" in info.value.detail
    assert "0612345678" not in info.value.detail and "Jan" not in str(info.value)
    with pytest.raises(ValidationError) as exc:
        IntakePayload.model_validate({"description": 5})
    assert "5" not in schema_error_detail(exc.value).replace("description", "")


def test_tools_in_another_shell_find_the_running_embedded_stack(
    monkeypatch: pytest.MonkeyPatch, tmp_path: pytest.TempPathFactory
) -> None:
    for key in ("MELDPUNT_KAFKA_BOOTSTRAP", "MELDPUNT_KAFKA_ENABLE_IDEMPOTENCE"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("MELDPUNT_STATE_DIR", str(tmp_path))
    assert RouterSettings().kafka_enable_idempotence is True
    (tmp_path / "stack.env").write_text(  # type: ignore[operator]
        "MELDPUNT_KAFKA_BOOTSTRAP=127.0.0.1:19092\nMELDPUNT_KAFKA_ENABLE_IDEMPOTENCE=false\n"
    )
    settings = RouterSettings()
    assert settings.kafka_bootstrap == "127.0.0.1:19092" and settings.kafka_enable_idempotence is False
    monkeypatch.setenv("MELDPUNT_KAFKA_BOOTSTRAP", "kafka:9092")
    assert RouterSettings().kafka_bootstrap == "kafka:9092"  # the environment still wins


def test_logged_exceptions_show_class_and_stack_never_the_message(capfd: pytest.CaptureFixture[str]) -> None:
    import logging

    from services.runtime.logging import configure_logging, get_logger

    configure_logging("test")
    try:
        raise ValueError("input_value='0612345678' Key (reference)=(M-AB12-CD34)")
    except ValueError:
        logging.getLogger("meldpunt.faststream").exception("handler failed")
        get_logger().exception("ours")
    err = capfd.readouterr().err
    assert err.count('"exception": "ValueError"') == 2
    assert "0612345678" not in err and "M-AB12-CD34" not in err
