"""A Store on a real SQLite file in a throwaway data folder."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from newsdesk.config import Settings
from newsdesk.store import Store


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    opened = Store.open(settings)
    yield opened
    opened.close()
