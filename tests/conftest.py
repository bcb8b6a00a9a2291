"""Shared fixtures. ``infra`` is the one fixture that provides a real broker and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.infra import Infra, provide_infra


@pytest.fixture(scope="session")
def infra(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Infra]:
    with provide_infra(tmp_path_factory.mktemp("infra")) as provided:
        yield provided
