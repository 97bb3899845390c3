"""A Store on a real SQLite file in a throwaway data folder."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsdesk.config import Settings
from newsdesk.store import Store
from tests.store.postgres import postgres_schema


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database migrated from empty; tests start from copies of it (migrating is slow)."""
    data_dir = tmp_path_factory.mktemp("template")
    template = Store.open(Settings(data_dir=data_dir))
    template.close()  # the last connection to close folds the WAL back into the file
    return data_dir / "newsdesk.db"


@pytest.fixture
def store(settings: Settings, migrated_db: Path) -> Iterator[Store]:
    settings.data_dir.mkdir(parents=True)
    shutil.copyfile(migrated_db, settings.data_dir / "newsdesk.db")
    opened = Store.open(settings)
    yield opened
    opened.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def either_store(request: pytest.FixtureRequest, store: Store) -> Iterator[Store]:
    """The SQLite store, or one on a throwaway schema of the local PostgreSQL server."""
    if request.param == "sqlite":
        yield store
        return
    with postgres_schema() as url:
        opened = Store(url)
        opened.migrate()
        yield opened
        opened.close()
