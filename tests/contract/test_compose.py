"""The compose deployment: docker-compose.yml is a valid Compose file, its settings match the services'.

No Docker needed: the file is validated against the Compose Specification JSON Schema (vendored in
tests/contract/data, see its README), every MELDPUNT_ variable is checked against the Settings class
of the service it is given to, and the image is checked to be one non-root build for all five.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import re
import shlex
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema.validators import validator_for
from pydantic_settings import BaseSettings

from contracts.topics import CORE_TOPICS, RAW_REPORTS

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
TOPIC_SCRIPT = ROOT / "deploy" / "kafka" / "create-topics.sh"
PROMETHEUS_CONFIG = ROOT / "deploy" / "prometheus.yml"
DASHBOARDS = ROOT / "deploy" / "grafana" / "dashboards"
SCHEMA_FILE = Path(__file__).parent / "data" / "compose-spec.json"
SCHEMA_SHA256 = "73ca5878c77570ba222a558016c7b3c6770ba5f3377786593e32180666512f8f"

SERVICES = ("intake", "anonymizer", "router", "feedback", "metrics")
PREFIX = "MELDPUNT_"
# Settings whose values are secrets: they may reach a container only from a file or an env file.
SECRET_SUFFIXES = ("PRIVATE_KEY", "LOCATION_KEY", "SASL_PASSWORD", "SUPPLEMENT_TOKEN")


# --- reading the files -----------------------------------------------------------------------

_VARIABLE = re.compile(
    r"\$(?:(?P<escaped>\$)|\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?+])(?P<arg>[^}]*))?\}"
    r"|(?P<named>[A-Za-z_][A-Za-z0-9_]*))"
)


def interpolate(value: Any, variables: Mapping[str, str]) -> Any:
    """Compose interpolation: ``${VAR}``, ``${VAR:-default}``, ``${VAR-default}``, ``${VAR:?err}``,
    ``${VAR:+alt}``, ``$VAR`` and ``$$``."""
    if isinstance(value, dict):
        return {k: interpolate(v, variables) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, variables) for v in value]
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match[str]) -> str:
        if match["escaped"]:
            return "$"
        name = match["braced"] or match["named"]
        op, arg = match["op"], match["arg"] or ""
        is_set = name in variables
        is_set_non_empty = bool(variables.get(name))
        if op in (":-", "-"):
            return variables[name] if (is_set_non_empty if op == ":-" else is_set) else arg
        if op in (":?", "?"):
            if not (is_set_non_empty if op == ":?" else is_set):
                raise KeyError(f"required variable {name} is not set: {arg}")
            return variables[name]
        if op in (":+", "+"):
            return arg if (is_set_non_empty if op == ":+" else is_set) else ""
        return variables.get(name, "")

    return _VARIABLE.sub(substitute, value)


def load_compose(variables: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The compose file as Compose sees it: YAML anchors and merge keys resolved, variables interpolated."""
    raw = yaml.safe_load(COMPOSE_FILE.read_text())
    assert isinstance(raw, dict)
    return interpolate(raw, variables or {})  # type: ignore[no-any-return]


def environment_of(service: Mapping[str, Any]) -> dict[str, str]:
    """A compose service's environment (mapping or list form, plus env files that exist)."""
    env: dict[str, str] = {}
    env_files = service.get("env_file", [])
    for entry in [env_files] if isinstance(env_files, str | dict) else env_files:
        path = ROOT / (entry if isinstance(entry, str) else entry["path"])
        if path.exists():
            for line in path.read_text().splitlines():
                if line.strip() and not line.lstrip().startswith("#") and "=" in line:
                    key, _, value = line.partition("=")
                    env[key.strip()] = value.strip().strip("'\"")
    declared = service.get("environment", {})
    if isinstance(declared, list):
        declared = dict(item.split("=", 1) if "=" in item else (item, "") for item in declared)
    env.update(
        {
            k: "" if v is None else str(v).lower() if isinstance(v, bool) else str(v)
            for k, v in declared.items()
        }
    )
    return env


def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        pending += stripped[:-1] + " " if stripped.endswith("\\") else stripped
        if not stripped.endswith("\\"):
            keyword, _, args = pending.partition(" ")
            instructions.append((keyword.upper(), args.strip()))
            pending = ""
    return instructions


def final_stage(instructions: list[tuple[str, str]]) -> list[tuple[str, str]]:
    starts = [i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM"]
    return instructions[starts[-1] :]


def image_environment() -> dict[str, str]:
    """The ENV of the image's final stage (what every container starts with)."""
    env: dict[str, str] = {}
    for keyword, args in final_stage(dockerfile_instructions(DOCKERFILE.read_text())):
        if keyword == "ENV":
            for token in shlex.split(args):
                key, _, value = token.partition("=")
                env[key] = value
    return env


def settings_class(name: str) -> type[BaseSettings]:
    cls = importlib.import_module(f"services.{name}.settings").Settings
    assert issubclass(cls, BaseSettings)
    return cls  # type: ignore[no-any-return]


def meldpunt_services(compose: Mapping[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    """Meldpunt service name -> (compose service name, compose service), found by ``serve <name>``."""
    found: dict[str, tuple[str, dict[str, Any]]] = {}
    for compose_name, service in compose["services"].items():
        command = service.get("command")
        command = shlex.split(command) if isinstance(command, str) else command or []
        if len(command) == 2 and command[0] == "serve":
            assert command[1] not in found, f"two compose services serve {command[1]}"
            found[command[1]] = (compose_name, service)
    return found


# --- the checks, as functions so that their failures can be tested too ------------------------


def unknown_settings(service: str, env: Mapping[str, str]) -> list[str]:
    """MELDPUNT_ variables in ``env`` that name no field of ``service``'s Settings (case-insensitive)."""
    fields = {name.lower() for name in settings_class(service).model_fields}
    unknown = []
    for var in env:
        if not var.upper().startswith(PREFIX):
            continue
        name = var[len(PREFIX) :].lower()
        own = name.removeprefix(f"{service}_") if name.startswith(f"{service}_") else None
        if own not in fields and name not in fields:
            unknown.append(var)
    return unknown


def with_dummy_secrets(env: Mapping[str, str], tmp_path: Path) -> dict[str, str]:
    """The environment with secret files (mounted only inside the container) replaced by dummy files."""
    dummy_key = "A" * 43 + "="  # base64 of 32 zero bytes: the shape of an X25519 key
    replaced = dict(env)
    for var, value in env.items():
        if var.endswith("_FILE") and value.startswith(("/run/secrets/", "/etc/meldpunt/")):
            path = tmp_path / Path(value).name
            path.write_text(dummy_key + "\n")
            replaced[var] = str(path)
        elif var.endswith(SECRET_SUFFIXES):
            replaced[var] = dummy_key
    return replaced


def container_environment(compose: Mapping[str, Any], service: str) -> dict[str, str]:
    """What ``meldpunt serve <service>`` sees in its container: the image's ENV, then compose's."""
    _, compose_service = meldpunt_services(compose)[service]
    return {**image_environment(), **environment_of(compose_service)}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return load_compose()


@pytest.fixture
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """No MELDPUNT_ variable from the developer's shell leaks into a Settings built here."""
    import os

    for var in list(os.environ):
        if var.upper().startswith(PREFIX):
            monkeypatch.delenv(var)
    yield monkeypatch


# --- (a) the Compose Specification ------------------------------------------------------------


def test_vendored_compose_schema_is_the_recorded_upstream_file() -> None:
    assert hashlib.sha256(SCHEMA_FILE.read_bytes()).hexdigest() == SCHEMA_SHA256, (
        "tests/contract/data/compose-spec.json changed: update its README (source, commit) and the checksum"
    )


@pytest.mark.parametrize("variables", [{}, {"POSTGRES_PASSWORD": "s3cret", "MELDPUNT_IMAGE_TAG": "1.2.3"}])
def test_compose_file_is_valid_against_the_compose_specification(variables: dict[str, str]) -> None:
    schema = json.loads(SCHEMA_FILE.read_text())
    validator_cls = validator_for(schema)
    validator_cls.check_schema(schema)
    errors = sorted(validator_cls(schema).iter_errors(load_compose(variables)), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.path)) or '<root>'}: {e.message}" for e in errors)


def test_the_schema_rejects_what_compose_rejects() -> None:
    schema = json.loads(SCHEMA_FILE.read_text())
    validator = validator_for(schema)(schema)
    broken = load_compose()
    broken["services"]["intake"]["restart_policy"] = "always"  # not a service key
    broken["services"]["intake"]["ports"] = [{"target": "eighty"}]
    assert len(list(validator.iter_errors(broken))) >= 1


# --- (b) settings ------------------------------------------------------------------------------


def test_the_five_services_each_run_once(compose: dict[str, Any]) -> None:
    assert sorted(meldpunt_services(compose)) == sorted(SERVICES)


@pytest.mark.parametrize("service", SERVICES)
def test_every_meldpunt_variable_names_a_setting_of_its_service(
    compose: dict[str, Any], service: str
) -> None:
    env = environment_of(meldpunt_services(compose)[service][1])
    unknown = unknown_settings(service, env)
    assert not unknown, f"{service}: no such setting in services.{service}.settings.Settings: {unknown}"


def test_a_misspelt_or_misplaced_variable_is_reported() -> None:
    env = {
        "MELDPUNT_KAFKA_BOOTSTRAP": "kafka:9092",
        "MELDPUNT_KAFKA_BOOTSTRAPP": "kafka:9092",
        "MELDPUNT_INTAKE_ANONYMIZER_PUBLIC_KEY_FILE": "/etc/meldpunt/anonymizer.pub",
        "PATH": "/usr/bin",
    }
    assert unknown_settings("intake", env) == ["MELDPUNT_KAFKA_BOOTSTRAPP"]
    assert unknown_settings("anonymizer", env) == [
        "MELDPUNT_KAFKA_BOOTSTRAPP",
        "MELDPUNT_INTAKE_ANONYMIZER_PUBLIC_KEY_FILE",
    ]


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_settings_build_from_its_container_environment(
    compose: dict[str, Any], service: str, clean_environ: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    env = with_dummy_secrets(container_environment(compose, service), tmp_path)
    for var, value in env.items():
        clean_environ.setenv(var, value)
    settings: Any = settings_class(service)()

    assert settings.service_name == service
    assert settings.http_host == "0.0.0.0"  # noqa: S104 - reachable from the other containers
    assert settings.kafka_bootstrap == "kafka:9092"
    assert settings.kafka_enable_idempotence is True
    assert settings.kafka_static_assignment is False
    assert settings.database_url.startswith("postgresql://")
    assert "@postgres:5432/" in settings.database_url
    assert settings.otel_exporter_otlp_endpoint == "http://otel-collector:4318"
    assert str(settings.state_dir) == "/var/lib/meldpunt"


def test_keys_reach_the_services_as_mounted_files_only(compose: dict[str, Any]) -> None:
    services = meldpunt_services(compose)
    _, anonymizer = services["anonymizer"]
    _, intake = services["intake"]
    anonymizer_env, intake_env = environment_of(anonymizer), environment_of(intake)

    secret = anonymizer["secrets"][0]
    secret_name = secret if isinstance(secret, str) else secret["source"]
    target = secret if isinstance(secret, str) else secret.get("target", secret_name)
    target = target if target.startswith("/") else f"/run/secrets/{target}"
    assert anonymizer_env["MELDPUNT_ANONYMIZER_PRIVATE_KEY_FILE"] == target
    assert compose["secrets"][secret_name]["file"].startswith("./deploy/secrets/")

    config = intake["configs"][0]
    assert intake_env["MELDPUNT_INTAKE_ANONYMIZER_PUBLIC_KEY_FILE"] == config["target"]
    assert compose["configs"][config["source"]]["file"].startswith("./deploy/secrets/")

    for compose_name, service in compose["services"].items():
        for var in environment_of(service):
            assert not var.endswith(SECRET_SUFFIXES), f"{compose_name}: {var} must come from a file"


@pytest.mark.parametrize("service", SERVICES)
def test_ports_healthchecks_and_scrape_targets_follow_each_service_port(
    compose: dict[str, Any], service: str, clean_environ: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for var, value in with_dummy_secrets(container_environment(compose, service), tmp_path).items():
        clean_environ.setenv(var, value)
    port = settings_class(service)().http_port  # type: ignore[attr-defined]
    compose_name, compose_service = meldpunt_services(compose)[service]

    for mapping in compose_service.get("ports", []):
        assert str(mapping).rsplit(":", 1)[-1] == str(port), (
            f"{compose_name} publishes {mapping}, serves {port}"
        )
    assert compose_service["healthcheck"]["test"] == ["CMD", "meldpunt-healthcheck", service]

    prometheus = yaml.safe_load(PROMETHEUS_CONFIG.read_text())
    targets = {
        target
        for job in prometheus["scrape_configs"]
        for static in job.get("static_configs", [])
        for target in static["targets"]
    }
    assert f"{compose_name}:{port}" in targets


def test_published_ports_are_the_documented_ones(compose: dict[str, Any]) -> None:
    published = {
        name: sorted(str(p).split(":")[-2] for p in service.get("ports", []))
        for name, service in compose["services"].items()
        if service.get("ports")
    }
    assert published == {
        "intake": ["8080"],
        "feedback": ["8081"],
        "metrics": ["8082"],
        "kafka": ["29092"],
        "jaeger": ["16686"],
        "prometheus": ["9090"],
        "grafana": ["3000"],
    }


def test_topic_init_creates_exactly_the_core_topics_with_short_raw_retention(compose: dict[str, Any]) -> None:
    script = TOPIC_SCRIPT.read_text()
    created = re.findall(r"^create (\S+)", script, flags=re.MULTILINE)
    assert sorted(created) == sorted(CORE_TOPICS)
    raw_line = next(line for line in script.splitlines() if line.startswith(f"create {RAW_REPORTS}"))
    retention_ms = int(re.search(r"retention\.ms=(\d+)", raw_line).group(1))  # type: ignore[union-attr]
    assert retention_ms <= 7 * 24 * 3600 * 1000

    init = compose["services"]["kafka-init"]
    assert any(v.endswith(":/opt/meldpunt/create-topics.sh:ro") for v in init["volumes"])
    for name, _ in meldpunt_services(compose).values():
        depends = compose["services"][name]["depends_on"]
        assert depends["kafka-init"]["condition"] == "service_completed_successfully"
        assert depends["postgres"]["condition"] == "service_healthy"


def test_dashboard_uses_the_services_metric_names() -> None:
    dashboard = json.loads((DASHBOARDS / "meldpunt-pipeline.json").read_text())
    exprs = " ".join(t["expr"] for p in dashboard["panels"] for t in p.get("targets", []))
    for metric in (
        "meldpunt_reports_processed_total",
        "meldpunt_deadletters_total",
        "meldpunt_outbox_pending",
        "faststream_received_messages_total",
        "faststream_published_messages_total",
        "faststream_received_processed_messages_duration_seconds_bucket",
    ):
        assert metric in exprs


# --- (c) the image ------------------------------------------------------------------------------


def test_image_runs_as_a_non_root_user() -> None:
    stage = final_stage(dockerfile_instructions(DOCKERFILE.read_text()))
    users = [args for keyword, args in stage if keyword == "USER"]
    assert users, "the final stage sets no USER, so it runs as root"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0")


def test_image_is_python_311_slim_with_meldpunt_entrypoint_and_a_prebuilt_deduce_cache() -> None:
    instructions = dockerfile_instructions(DOCKERFILE.read_text())
    args = dict(a.split("=", 1) for keyword, a in instructions if keyword == "ARG" and "=" in a)
    stage = final_stage(instructions)
    base = stage[0][1].split()[0]
    base = re.sub(r"\$\{(\w+)\}", lambda m: args[m.group(1)], base)
    assert base.startswith("python:3.11-slim")
    assert ("ENTRYPOINT", '["meldpunt"]') in stage
    assert any(keyword == "HEALTHCHECK" for keyword, _ in stage)
    runs = [a for keyword, a in stage if keyword == "RUN"]
    assert any(a.strip() == "meldpunt cache" for a in runs)
    assert image_environment()["MELDPUNT_ANONYMIZER_DEDUCE_CACHE"].startswith("/app/")
    build_runs = " ".join(a for keyword, a in instructions if keyword == "RUN")
    assert "pip install --no-deps -r requirements.lock" in build_runs
    assert "pip install --no-deps ." in build_runs


def test_image_environment_names_only_real_settings() -> None:
    env = {k: v for k, v in image_environment().items() if k.upper().startswith(PREFIX)}
    assert env, "the image sets no MELDPUNT_ defaults"
    for var, value in env.items():
        # MELDPUNT_<SERVICE>_<FIELD> is for that service alone; MELDPUNT_<FIELD> is for all five.
        owner = next((s for s in SERVICES if var.upper().startswith(f"{PREFIX}{s.upper()}_")), None)
        for service in [owner] if owner else SERVICES:
            assert not unknown_settings(service, {var: value}), f"{var} is no setting of {service}"


def test_every_service_uses_the_same_build_and_image(compose: dict[str, Any]) -> None:
    services = [service for _, service in meldpunt_services(compose).values()]
    builds = {json.dumps(service.get("build"), sort_keys=True) for service in services}
    images = {service.get("image") for service in services}
    assert len(builds) == 1 and len(images) == 1, (builds, images)
    build = services[0]["build"]
    assert build == {"context": ".", "dockerfile": "deploy/Dockerfile"}
    assert (ROOT / build["context"] / build["dockerfile"]).is_file()
    assert None not in images


def test_docker_build_context_leaves_out_local_state() -> None:
    ignored = {line.strip() for line in DOCKERIGNORE.read_text().splitlines()}
    assert {".venv", ".meldpunt", ".git", "deploy/secrets"} <= ignored
