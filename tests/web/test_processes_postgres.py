"""Two `newsdesk serve` processes on one PostgreSQL database (a throwaway schema): what one
of them changes, the other shows at once, though each keeps its listings while nothing
changes (store/watch.py: commits are notified to every process)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from newsdesk.model import Article
from newsdesk.store import Store
from newsdesk.web.auth.passwords import hash_password
from newsdesk.web.auth.tokens import new_token
from tests.store.postgres import free_port, postgres_schema
from tests.web.conftest import seed_articles


@pytest.fixture
def pg_store() -> Iterator[Store]:
    with postgres_schema() as url:
        store = Store(url)
        store.migrate()
        yield store
        store.close()


def serve(store: Store, data_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = dict(os.environ)
    env.update(
        NEWSDESK_DATABASE_URL=store.url,
        NEWSDESK_DATA_DIR=str(data_dir),
        NEWSDESK_SECRET_KEY="the same key for every process",
        NEWSDESK_PUBLIC_MODE="true",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "serve", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(f"{url}/login", timeout=2)
            return process, url
        except httpx.TransportError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                _, errors = process.communicate()
                raise AssertionError(errors.decode()[-2000:]) from None
            time.sleep(0.2)


def test_a_change_made_through_one_web_process_shows_in_the_other(
    pg_store: Store, tmp_path: Path
) -> None:
    def harbour(i: int) -> Article:
        return Article(url=f"https://harbour.example/{i}", title=f"Harbour story {i}",
                       text=f"Harbour body {i}.", published=datetime.now(UTC))  # fmt: skip

    def other(i: int) -> Article:
        return Article(url=f"https://other.example/{i}", title=f"Inland story {i}",
                       text=f"Inland body {i}.", published=datetime.now(UTC))  # fmt: skip

    feed, _ = seed_articles(pg_store, 3, title="Harbour Times", make=harbour)
    inland, _ = seed_articles(pg_store, 2, feed_url="https://other.example/f", make=other)
    admin = pg_store.create_user("admin", hash_password("a long password"), is_admin=True)
    token, token_hash = new_token()
    pg_store.create_api_token(admin.id, token_hash, "tests")
    first, first_url = serve(pg_store, tmp_path / "one")
    second, second_url = serve(pg_store, tmp_path / "two")
    try:
        river = f"{second_url}/?view=articles"
        before = httpx.get(river).text
        assert "Harbour story 0" in before and "Inland story 0" in before
        assert "Harbour story 0" in httpx.get(river).text  # kept while nothing changes

        # unsubscribed through the first process: its articles leave the second's river
        gone = httpx.delete(
            f"{first_url}/api/v1/feeds/{feed.id}", headers={"Authorization": f"Bearer {token}"}
        )
        assert gone.status_code == 204, gone.text
        after = httpx.get(river).text
        assert "Harbour story" not in after and "Inland story 0" in after

        # and a change from any other process on the database, too
        pg_store.delete_feed(inland.id)
        assert "Inland story" not in httpx.get(river).text
    finally:
        for process in (first, second):
            process.terminate()
            process.wait(timeout=30)
