"""Several `newsdesk worker` processes on one database (a throwaway PostgreSQL schema, or one
SQLite file), reading
the fixture publishers: each feed polled once, nothing stored twice, politeness per host kept
across the workers, and the stories one matcher makes of the articles in the order they came."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from newsdesk.store import Store
from tests.pipeline.workers import (
    FEW_FORMATS,
    follow_feeds,
    grouping,
    run_workers,
    worker_env,
)
from tests.sites.publisher import Publisher
from tests.store.postgres import postgres_schema

SPACING = 0.25  # seconds between two requests to one host, kept by all workers together


@contextmanager
def shared_store(backend: str, folder: Path) -> Iterator[Store]:
    """A migrated store the workers share: a throwaway PostgreSQL schema, or an SQLite file."""
    with contextlib.ExitStack() as stack:
        if backend == "postgresql":
            url = stack.enter_context(postgres_schema())
        else:
            folder.mkdir(parents=True)
            url = f"sqlite:///{folder / 'newsdesk.db'}"
        store = Store(url)
        stack.callback(store.close)
        store.migrate()
        yield store


@pytest.fixture
def pg_store(tmp_path: Path) -> Iterator[Store]:
    with shared_store("postgresql", tmp_path) as store:
        yield store


def site_of(url: str) -> str:
    return urlsplit(url).netloc


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_three_workers_poll_each_feed_once_and_make_one_workers_stories(
    backend: str, publisher: Publisher, tmp_path: Path
) -> None:
    with shared_store(backend, tmp_path / "three-db") as store:
        three_workers(store, backend, publisher, tmp_path)


def three_workers(store: Store, backend: str, publisher: Publisher, tmp_path: Path) -> None:
    feeds = follow_feeds(store, publisher, FEW_FORMATS)
    env = worker_env(store.url, tmp_path / "three", NEWSDESK_PER_HOST_INTERVAL=str(SPACING))
    reports = run_workers(env, 3)

    # every feed polled exactly once, by one of the workers, and recorded
    for feed_url in feeds:
        site = next(name for name, base in publisher.sites.items() if feed_url.startswith(base))
        assert publisher.hits(site, urlsplit(feed_url).path) == 1, feed_url
    assert sum(report["feeds"] for report in reports) == len(feeds)
    assert sum(1 for report in reports if report["feeds"]) >= 2, "the work was not shared"
    assert all(not report["errors"] for report in reports), reports
    recorded = store.list_feeds()
    assert all(feed.last_fetched_at and not feed.last_error for feed in recorded)
    assert store.leased_feeds() == {}

    # every article the sites publish, stored once
    served = {url for site in publisher.sites for url in publisher.article_urls(site)}
    stored = [row.url for row in store.match_rows()]
    assert sorted(stored) == sorted(served)
    assert sum(report["new_articles"] for report in reports) == len(served)
    assert sum(report["matched"] for report in reports) == len(served)  # each once

    # requests to one host kept their spacing, whichever worker sent them: any five in a row
    # span four turns (less one for the moments between a turn and its request's arrival)
    for site in publisher.sites:
        arrivals = sorted(request.at for request in publisher.request_log(site))
        spans = [later - earlier for earlier, later in zip(arrivals, arrivals[4:], strict=False)]
        assert spans and min(spans) > 3 * SPACING, f"{site}: 5 requests in {min(spans):.3f} s"

    # the same stories and copies as one matcher deciding every article in arrival order
    together = grouping(store)
    assert any(len(story) >= 3 for story in together.stories), "the wire story was not grouped"
    regrouped = subprocess.run(
        [sys.executable, "-m", "newsdesk", "regroup", "--json"],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert json.loads(regrouped.stdout)["matched"] == len(served)
    assert grouping(store) == together
