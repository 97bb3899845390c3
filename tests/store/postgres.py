"""A throwaway schema on a PostgreSQL server for the tests, wherever they run.

The server is, in this order: the one `NEWSDESK_TEST_POSTGRES_URL` names (a SQLAlchemy URL of a
database the tests may create schemas in), the local one at 127.0.0.1:5432 (trust auth,
database `test`), or else a cluster of its own, made with Debian's `postgresql` binaries
(initdb, pg_ctl) in a temporary folder when the first test asks, and removed when the test
process ends. Without any of them the tests that need one fail, saying what to install: none
is skipped.
"""

from __future__ import annotations

import atexit
import functools
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

PG_LOCAL = "postgresql+psycopg://root@127.0.0.1:5432/test"
NO_SERVER = (
    "no PostgreSQL for the tests: set NEWSDESK_TEST_POSTGRES_URL, run one on 127.0.0.1:5432 "
    "(user root, database test, trust auth), or install Debian's postgresql package "
    "(initdb and pg_ctl) so the tests start their own"
)


@functools.cache
def server_url() -> str:
    """The URL of a database on the server the tests use (see the module's docstring)."""
    named = os.environ.get("NEWSDESK_TEST_POSTGRES_URL")
    if named:
        return named
    if answers(PG_LOCAL):
        return PG_LOCAL
    return ThrowawayCluster.start().url


def answers(url: str) -> bool:
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            return True
    except OperationalError:
        return False
    finally:
        engine.dispose()


@contextmanager
def postgres_schema() -> Iterator[str]:
    """The URL of a throwaway schema on the tests' PostgreSQL server, dropped afterwards."""
    server = server_url()
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in server else "?"
    try:
        yield f"{server}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


class ThrowawayCluster:
    """A PostgreSQL cluster in a temporary folder, on 127.0.0.1 and a free port, with the
    user `root` (trust auth) and a database `test`, like the developers' local server."""

    def __init__(self, bindir: Path, folder: Path, port: int) -> None:
        self.bindir = bindir
        self.folder = folder
        self.port = port
        self.url = f"postgresql+psycopg://root@127.0.0.1:{port}/test"

    @classmethod
    def start(cls) -> ThrowawayCluster:
        bindir = postgres_bindir()
        if bindir is None:
            pytest.fail(NO_SERVER)
        folder = Path(tempfile.mkdtemp(prefix="newsdesk-pg-"))
        cluster = cls(bindir, folder, free_port())
        atexit.register(cluster.stop)
        cluster._run("initdb", "-D", str(folder / "data"), "-U", "root", "-A", "trust",
                     "-E", "UTF8", "--locale=C", "--no-sync")  # fmt: skip
        options = f"-h 127.0.0.1 -p {cluster.port} -k {folder} -F"  # -F: no fsync, for tests
        cluster._run("pg_ctl", "-D", str(folder / "data"), "-o", options,
                     "-l", str(folder / "log"), "-w", "start")  # fmt: skip
        postgres = make_url(cluster.url).set(database="postgres")
        admin = create_engine(postgres, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("CREATE DATABASE test"))
        admin.dispose()
        return cluster

    def stop(self) -> None:
        if (self.folder / "data" / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bindir / program), *args]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root: as its own user, then
            user = owner_for_root()
            shutil.chown(self.folder, user, user)
            command = ["runuser", "-u", user, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            pytest.fail(f"{program} failed: {done.stderr.strip()[-500:]}")


def postgres_bindir() -> Path | None:
    """Where initdb and pg_ctl are: on PATH, else Debian's newest /usr/lib/postgresql/*/bin."""
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).parent
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
        key=lambda path: int(Path(path).parts[-3]) if Path(path).parts[-3].isdigit() else 0,
    )
    return Path(versions[-1]).parent if versions else None


def owner_for_root() -> str:
    """The user a cluster started by root runs as: postgres (Debian's package makes it), else
    nobody."""
    for user in ("postgres", "nobody"):
        try:
            pwd.getpwnam(user)
            return user
        except KeyError:
            continue
    pytest.fail("running as root, and no postgres or nobody user to run PostgreSQL as")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
