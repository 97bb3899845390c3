"""Backups of the store, taken while newsdesk runs, and their restore into an empty store.

    backup(settings.resolved_database_url, Path("newsdesk-backup.db"))
    restore(settings.resolved_database_url, Path("newsdesk-backup.db"))

On SQLite a backup is SQLite's online backup (a consistent copy of the live database, itself a
plain SQLite file); on PostgreSQL it is pg_dump's custom format, restored with pg_restore. A
restore goes only into a store that holds nothing yet, and migrates the restored store to the
current schema, so a backup of an older newsdesk restores into a newer one.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import URL, make_url

from newsdesk.errors import NewsdeskError
from newsdesk.store.engine import is_sqlite

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
# the tables every newsdesk store has had since its first migration
NEWSDESK_TABLES = {"alembic_version", "feeds", "articles", "users"}


class BackupError(NewsdeskError):
    """A backup or a restore cannot be made; the message says why in one line."""


def backup(database_url: str, target: Path) -> None:
    """Write a backup of the store at `database_url` to `target`, which must not exist."""
    try:
        exists, in_folder = target.exists(), target.parent.is_dir()
    except OSError as exc:  # a name too long for the file system, say
        raise BackupError(f"cannot write {target}: {exc.strerror or exc}") from None
    if exists:
        raise BackupError(f"{target} already exists: give a new file name for the backup")
    if not in_folder:
        raise BackupError(f"{target.parent} is not a directory")
    if is_sqlite(database_url):
        source = _sqlite_path(database_url)
        if not source.is_file():
            raise BackupError(f"there is no database at {source} to back up")
        _sqlite_copy(source, target)
    else:
        _run_tool("pg_dump", "--format=custom", "--no-owner", f"--file={target}",
                  url=make_url(database_url), made=target)  # fmt: skip


def restore(database_url: str, source: Path) -> None:
    """Restore the backup at `source` into the empty store at `database_url`."""
    kind = backup_kind(source)
    if is_sqlite(database_url):
        if kind != "sqlite":
            raise BackupError(f"{source} is a PostgreSQL backup (pg_dump); restore it into a "
                              "PostgreSQL database (NEWSDESK_DATABASE_URL)")  # fmt: skip
        target = _sqlite_path(database_url)
        if target.exists():
            raise BackupError(f"{target} already exists: restore into an empty data directory, "
                              "or move the database away first")  # fmt: skip
        target.parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(source, target)
        return
    if kind != "pg_dump":
        raise BackupError(f"{source} is a SQLite backup; the database is PostgreSQL: restore it "
                          "with NEWSDESK_DATABASE_URL unset, into a data directory")  # fmt: skip
    url = make_url(database_url)
    if _pg_tables(url) & NEWSDESK_TABLES:
        raise BackupError(f"the database {url.database} already holds a newsdesk store: restore "
                          "into an empty database")  # fmt: skip
    _run_tool("pg_restore", "--no-owner", "--exit-on-error", "--single-transaction",
              f"--dbname={url.database}", str(source), url=url)  # fmt: skip


def backup_kind(path: Path) -> str:
    """"sqlite" or "pg_dump": what kind of newsdesk backup `path` is (BackupError if none)."""
    try:
        with path.open("rb") as file:
            head = file.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise BackupError(f"cannot read {path}: {exc.strerror or exc}") from None
    if head.startswith(PG_DUMP_MAGIC):
        return "pg_dump"
    if head == SQLITE_MAGIC:
        try:
            with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
                names = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        except sqlite3.Error as exc:
            raise BackupError(f"{path} is not a newsdesk backup: {exc}") from None
        if names >= NEWSDESK_TABLES:
            return "sqlite"
        raise BackupError(f"{path} is an SQLite database but not a newsdesk backup")
    raise BackupError(f"{path} is not a newsdesk backup (neither SQLite nor pg_dump's format)")


def _sqlite_path(database_url: str) -> Path:
    return Path(make_url(database_url).database or "").expanduser().resolve()


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup of `source` into `target`, written beside it first and renamed into
    place when complete, so a failure never leaves half a file under the name."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        with (
            closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as src,
            closing(sqlite3.connect(partial)) as dst,
        ):
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"cannot copy {source} to {target}: {exc}") from None


def _pg_tables(url: URL) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    except Exception as exc:  # the driver's own errors: no server, no database, no access
        raise BackupError(f"cannot reach the database {url.database}: {exc}") from None
    finally:
        engine.dispose()


def _run_tool(name: str, *args: str, url: URL, made: Path | None = None) -> None:
    """Run pg_dump or pg_restore against `url` (its password in the environment, not on the
    command line); a failure is one line, and leaves no partial file behind."""
    program = shutil.which(name)
    if program is None:
        raise BackupError(f"{name} is not on PATH: install PostgreSQL's client tools to back up "
                          "or restore a PostgreSQL store")  # fmt: skip
    env = dict(os.environ)
    given = {"PGHOST": url.host, "PGPORT": url.port, "PGUSER": url.username,
             "PGPASSWORD": url.password, "PGDATABASE": url.database}  # fmt: skip
    for variable, value in given.items():
        if value is not None:
            env[variable] = str(value)
    options = url.query.get("options")
    if options:
        env["PGOPTIONS"] = options if isinstance(options, str) else " ".join(options)
    done = subprocess.run([program, *args], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        if made is not None:
            made.unlink(missing_ok=True)
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        raise BackupError(f"{name} failed: {lines[0] if lines else f'exit {done.returncode}'}")
