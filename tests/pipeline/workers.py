"""Real `newsdesk worker` processes on one database, and what a test checks after them."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newsdesk.store import Store
from tests.sites.publisher import FORMATS, Publisher


def worker_env(database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        env.pop(name, None)
    env.update(
        NEWSDESK_DATABASE_URL=database_url,
        NEWSDESK_DATA_DIR=str(data_dir),
        NEWSDESK_ALLOW_PRIVATE_NETWORKS="true",
        NEWSDESK_PER_HOST_INTERVAL="0",
        NEWSDESK_EXTRACT_PROCESSES="0",
        NEWSDESK_TOTAL_TIMEOUT="10",
        NEWSDESK_SAVE_WAIT="0.2",
    )
    env.update(extra)
    return env


def start_worker(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "worker", "--until-idle", "--json"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str], timeout: float = 120) -> dict[str, Any]:
    """The worker's JSON report, once it exited on its own."""
    out, errors = process.communicate(timeout=timeout)
    assert process.returncode == 0, f"worker exited {process.returncode}:\n{errors[-3000:]}"
    return json.loads(out.strip().splitlines()[-1])


def run_workers(env: dict[str, str], count: int) -> list[dict[str, Any]]:
    processes = [start_worker(env) for _ in range(count)]
    return [finish(process) for process in processes]


def follow_feeds(store: Store, publisher: Publisher, formats: Iterable[str] = FORMATS) -> list[str]:
    """Each site's feed in each of `formats` as a feed of its own (their entries overlap, as
    a site's section feeds do); the feeds' URLs."""
    urls = [publisher.feed_url(site, fmt) for site in publisher.sites for fmt in formats]
    for url in urls:
        store.add_feed(url)
    return urls


@dataclass(frozen=True)
class Grouping:
    """What matching made, by article URL, whatever the ids: the stories and the sets of
    copies (an original with its copies), each a set of URLs. Which copy is the original
    depends on which arrived first, which no number of pollers fixes."""

    stories: frozenset[frozenset[str]]
    copies: frozenset[frozenset[str]]


def grouping(store: Store) -> Grouping:
    rows = list(store.match_rows())
    url_of = {row.id: row.url for row in rows}
    stories: dict[int, set[str]] = {}
    copies: dict[int, set[str]] = {}
    for row in rows:
        assert row.matched and row.story_id is not None, f"{row.url} was not matched"
        stories.setdefault(row.story_id, set()).add(row.url)
        if row.duplicate_of:
            copies.setdefault(row.duplicate_of, {url_of[row.duplicate_of]}).add(row.url)
    return Grouping(
        frozenset(frozenset(urls) for urls in stories.values()),
        frozenset(frozenset(urls) for urls in copies.values()),
    )


@dataclass
class FaultRound:
    """One 3-worker ingest with workers killed (SIGKILL) at random moments."""

    feeds: int  # feeds followed
    recorded: int  # feeds whose poll is recorded, without error
    served: int  # article pages the sites publish
    stored: int  # articles stored
    distinct: int  # distinct URLs among them
    matched: int  # of those stored, matched
    killed_mid_poll: int  # kills of a worker that held a feed's lease at that moment
    polled_again: int  # feeds fetched a second time: taken over from the killed worker


FEW_FORMATS = ("rss20", "atom10", "json11")  # three feeds a site: small rounds


def fault_round(
    store: Store, env: dict[str, str], rng: random.Random, kills: int = 2
) -> FaultRound:
    """Three workers ingest fresh sites while, `kills` times, once a worker holds a lease and
    after a random delay of up to half a second, one worker (one holding a lease if any) is
    killed with SIGKILL and a replacement started. The counts say whether anything was lost
    or doubled."""
    with Publisher() as publisher:
        urls = follow_feeds(store, publisher, FEW_FORMATS)
        feed_ids = {store.add_feed(url)[0].id for url in urls}
        processes = [start_worker(env) for _ in range(3)]
        mid_poll = 0
        for _ in range(kills):
            deadline = time.monotonic() + 60
            while not store.leased_feeds() and time.monotonic() < deadline:
                if all(process.poll() is not None for process in processes):
                    break  # all done: nothing left to kill in the middle of
                time.sleep(0.02)
            time.sleep(rng.uniform(0, 0.5))
            holders = {owner.split(":")[1] for owner in store.leased_feeds().values()}
            busy = [p for p in processes if str(p.pid) in holders and p.poll() is None]
            victim = rng.choice(busy or processes)
            victim.send_signal(signal.SIGKILL)
            victim.wait()
            mid_poll += bool(busy)
            processes.remove(victim)
            processes.append(start_worker(env))
        for process in processes:
            finish(process)
        served = [url for site in publisher.sites for url in publisher.article_urls(site)]
        again = sum(
            1
            for site in publisher.sites
            for fmt in FEW_FORMATS
            if publisher.hits(site, urlsplit(publisher.feed_url(site, fmt)).path) > 1
        )
        bases = tuple(publisher.sites.values())
    feeds = [feed for feed in store.list_feeds() if feed.id in feed_ids]
    rows = [row for row in store.match_rows() if row.url.startswith(bases)]
    return FaultRound(
        feeds=len(feed_ids),
        recorded=sum(1 for f in feeds if f.last_fetched_at and not f.last_error),
        served=len(set(served)),
        stored=len(rows),
        distinct=len({row.url for row in rows} & set(served)),
        matched=sum(1 for row in rows if row.matched),
        killed_mid_poll=mid_poll,
        polled_again=again,
    )
