"""Killing `newsdesk poll` at any moment, then running it again, loses and duplicates nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsdesk.config import Settings
from newsdesk.pipeline.subscribe import subscribe
from newsdesk.store import Store

SITES = ("daily-planet", "northern-courier", "harbour-gazette")


def run_poll(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "poll", "--once"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def wait_for_articles(store: Store, process: subprocess.Popen[bytes], at_least: int) -> int:
    """Block until the poll has stored `at_least` articles (or ended); return the count."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        count = store.count_articles()
        if count >= at_least or process.poll() is not None:
            return count
        time.sleep(0.02)
    raise AssertionError("the poll stored nothing within 90 s")


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_sigkill_mid_poll_then_rerun_loses_and_duplicates_nothing(
    tmp_path: Path, publisher
) -> None:
    for site in SITES:
        for number in range(3):
            publisher.add_entry(
                site,
                f"{site} bulletin {number}: harbour works continue",
                [f"Bulletin {number} from {site}: the harbour works continue this week.",
                 "Crews are replacing the old sea wall section by section."],
            )
    data = tmp_path / "data"
    settings = Settings(data_dir=data, allow_private_networks=True, per_host_interval=0.0)
    store = Store.open(settings)
    for site in SITES:
        subscribe(store, settings, publisher.feed_url(site))
    expected = sum(len(publisher.article_urls(site)) for site in SITES)

    env = dict(
        os.environ,
        NEWSDESK_DATA_DIR=str(data),
        NEWSDESK_ALLOW_PRIVATE_NETWORKS="true",
        NEWSDESK_PER_HOST_INTERVAL="0",
        NEWSDESK_EXTRACT_PROCESSES="0",
    )
    kills = 0
    for at_least in (1, expected // 3, 2 * expected // 3):
        process = run_poll(env)
        stored = wait_for_articles(store, process, at_least)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait()
        assert store.count_articles() >= stored  # nothing stored was lost
    assert kills >= 1, "every poll finished before it could be killed"

    final = run_poll(env)
    _, errors = final.communicate(timeout=180)
    assert final.returncode == 0, errors.decode()

    articles = store.list_articles(limit=1000)
    urls = [a.article.canonical_url or a.article.url for a in articles]
    assert len(urls) == len(set(urls)), "an article was stored twice"
    assert set(urls) == {url for site in SITES for url in publisher.article_urls(site)}
    assert store.count_articles() == expected
    hits = store.search("harbour works")
    assert len(hits) == len({a.id for a, _ in hits})  # the search index holds no duplicates either
    store.close()
