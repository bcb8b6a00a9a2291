"""A report acknowledged while the broker is down is published once the broker is back."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from contracts.topics import RAW_REPORTS, RECEIPTS
from services.runtime.embedded import EmbeddedBroker, free_port
from tests.support.infra import Infra
from tests.support.platform import Platform, read_topic

pytestmark = pytest.mark.e2e


@pytest.fixture
def intake_with_own_broker(
    infra: Infra, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Platform, EmbeddedBroker]]:
    if infra.kind != "embedded":
        pytest.skip("stopping the broker is done on the embedded broker; a shared broker is not ours to stop")
    state = tmp_path_factory.mktemp("outbox")
    broker = EmbeddedBroker(port=free_port(), log_path=state / "own-broker.log")
    broker.start()
    own = Infra(
        "embedded",
        broker.bootstrap,
        infra.admin_database_url,
        embedded_broker=broker,
        service_env=infra.service_env,
    )
    platform = Platform(own, state, infra.new_database())
    try:
        platform.start("intake")
        yield platform, broker
    finally:
        platform.stop()
        broker.stop()


def test_report_accepted_while_broker_is_down_is_published_when_it_is_back(
    intake_with_own_broker: tuple[Platform, EmbeddedBroker],
) -> None:
    platform, broker = intake_with_own_broker
    broker.stop()
    marker = uuid.uuid4().hex
    r = httpx.post(
        platform.url("intake") + "/api/v1/reports",
        json={"description": f"Verdachte situatie {marker}", "submission_id": str(uuid.uuid4())},
        timeout=30,
    )
    assert r.status_code == 202, r.text

    broker.start()  # memory storage: it comes back empty, and the relay re-creates nothing by itself
    receipts = read_topic(broker.bootstrap, RECEIPTS, lambda rs: len(rs) >= 1, timeout=90)
    raws = read_topic(broker.bootstrap, RAW_REPORTS, lambda rs: len(rs) >= 1, timeout=30, decode=False)
    assert len(raws) == 1 and marker.encode() not in raws[0].value
    assert receipts[0]["value"]["reference"] == r.json()["reference"]
