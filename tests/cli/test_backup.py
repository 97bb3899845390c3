"""`newsdesk backup` and `newsdesk restore` through the real command: a store with feeds,
articles and users backed up, restored into a fresh data directory (or an empty PostgreSQL
database) and used there; and each refusal as one line."""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from newsdesk.config import Settings
from newsdesk.store import Store
from newsdesk.web.app import create_app
from newsdesk.web.auth.passwords import hash_password
from tests.cli.conftest import Cli
from tests.store.postgres import server_url
from tests.web.conftest import ThreadedServer, seed_articles, sign_in

PG_SERVER = "postgresql+psycopg://root@127.0.0.1:5432/test"
READER, READER_PASSWORD = "reader", "a long reader password"


def seed(store: Store) -> None:
    seed_articles(store, 4, folder="World")
    seed_articles(store, 2, feed_url="https://other.example.net/rss", title="Other")
    store.create_user(READER, hash_password(READER_PASSWORD))


def one_line_error(result: object, *words: str) -> str:
    assert result.exit_code == 1, result.output  # type: ignore[attr-defined]
    (line,) = result.stderr.strip().splitlines()  # type: ignore[attr-defined]
    assert line.startswith("error: ") and all(word in line for word in words), line
    return line


@pytest.fixture
def source(tmp_path: Path) -> Cli:
    """The command line over a data directory holding 6 articles, 2 feeds and a reader."""
    cli = Cli(tmp_path / "source")
    cli("feeds")  # creates and migrates the store
    store = Store.open(Settings(data_dir=tmp_path / "source"))
    seed(store)
    store.close()
    return cli


def test_sqlite_backup_restores_into_a_fresh_data_dir_and_is_used(
    source: Cli, tmp_path: Path
) -> None:
    backup = tmp_path / "newsdesk-backup.db"
    # online: another process has the store open, its latest writes still in the WAL
    running = Store.open(Settings(data_dir=tmp_path / "source"))
    seed_articles(running, 1, feed_url="https://third.example.com/feed", title="Third")
    try:
        done = source("backup", str(backup))
    finally:
        running.close()
    assert done.stdout.startswith(f"backed up to {backup}")
    with sqlite3.connect(backup) as db:  # a plain SQLite file, complete without its WAL
        assert db.execute("SELECT count(*) FROM articles").fetchone() == (7,)
    assert not list(tmp_path.glob("*.partial"))

    fresh = Cli(tmp_path / "fresh")
    done = fresh("restore", str(backup))
    assert done.stdout.strip() == f"restored 7 articles, 3 feeds, 1 user from {backup}"
    assert fresh.json_lines("articles", "--limit", "50") == source.json_lines(
        "articles", "--limit", "50"
    )
    assert [f["url"] for f in fresh.json_lines("feeds")] == [
        f["url"] for f in source.json_lines("feeds")
    ]

    # the web reader over the restored store: the reader signs in with the same password
    settings = Settings(data_dir=tmp_path / "fresh")
    store = Store.open(settings)
    try:
        with (
            ThreadedServer(create_app(settings, store=store)) as server,
            httpx.Client(base_url=server.url, timeout=30) as client,
        ):
            sign_in(client, READER, READER_PASSWORD)
            assert "Story number 0" in client.get("/").text
    finally:
        store.close()


def test_refusals_are_one_line(source: Cli, tmp_path: Path) -> None:
    backup = tmp_path / "backup.db"
    source("backup", str(backup))
    one_line_error(source("backup", str(backup), ok=False), "already exists")
    one_line_error(source("backup", str(tmp_path / "nowhere" / "b.db"), ok=False), "directory")

    # a store that already holds a database is never overwritten
    line = one_line_error(source("restore", str(backup), ok=False), "already exists")
    assert "empty data directory" in line

    fresh = Cli(tmp_path / "fresh")
    not_backups = {
        "notes.txt": b"just some notes\n",
        "empty.db": b"",
    }
    for name, content in not_backups.items():
        (tmp_path / name).write_bytes(content)
        one_line_error(fresh("restore", str(tmp_path / name), ok=False), "not a newsdesk backup")
    with sqlite3.connect(tmp_path / "other.db") as db:
        db.execute("CREATE TABLE notes (body TEXT)")
    one_line_error(fresh("restore", str(tmp_path / "other.db"), ok=False), "not a newsdesk")
    one_line_error(fresh("restore", str(tmp_path / "missing.db"), ok=False), "cannot read")
    (tmp_path / "dump.pgdump").write_bytes(b"PGDMP\x01\x0e\x00 rest of a dump")
    one_line_error(fresh("restore", str(tmp_path / "dump.pgdump"), ok=False), "PostgreSQL")
    assert not (tmp_path / "fresh" / "newsdesk.db").exists()


def test_without_pg_dump_a_postgresql_backup_says_so(source: Cli, tmp_path: Path) -> None:
    empty = tmp_path / "no-tools"
    empty.mkdir()
    source.env.update(NEWSDESK_DATABASE_URL=PG_SERVER, PATH=str(empty))
    line = one_line_error(source("backup", str(tmp_path / "b.pgdump"), ok=False), "pg_dump")
    assert line == (
        "error: pg_dump is not on PATH: install PostgreSQL's client tools to back up or "
        "restore a PostgreSQL store"
    )
    assert not (tmp_path / "b.pgdump").exists()


@pytest.fixture
def databases() -> Iterator[tuple[str, str]]:
    """The URLs of two new, empty databases on the tests' PostgreSQL server."""
    server = server_url()
    names = [f"backup_{uuid.uuid4().hex[:10]}_{side}" for side in ("from", "to")]
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f"CREATE DATABASE {name}"))
    first, second = (
        make_url(server).set(database=name).render_as_string(hide_password=False) for name in names
    )
    try:
        yield first, second
    finally:
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not on PATH")
def test_postgresql_backup_restores_into_an_empty_database(
    databases: tuple[str, str], tmp_path: Path
) -> None:
    origin, target = databases
    store = Store(origin)
    store.migrate()
    seed(store)
    store.close()
    source, restored = Cli(tmp_path / "a"), Cli(tmp_path / "b")
    source.env["NEWSDESK_DATABASE_URL"] = origin
    restored.env["NEWSDESK_DATABASE_URL"] = target
    backup = tmp_path / "news.pgdump"
    source("backup", str(backup))
    assert backup.read_bytes().startswith(b"PGDMP")

    done = restored("restore", str(backup))
    assert done.stdout.strip() == f"restored 6 articles, 2 feeds, 1 user from {backup}"
    assert restored.json_lines("articles") == source.json_lines("articles")
    one_line_error(restored("restore", str(backup), ok=False), "already holds a newsdesk store")
    sqlite_backup = tmp_path / "other.db"
    other = Cli(tmp_path / "c")
    other("feeds")  # creates the store
    other("backup", str(sqlite_backup))
    one_line_error(restored("restore", str(sqlite_backup), ok=False), "is a SQLite backup")
