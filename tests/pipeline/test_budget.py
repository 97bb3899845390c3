"""Bounded polls: a feed that costs its parser too much fails in its worker while the rest of
the round (and the web) goes on; a feed's new entries are taken a capped number at a time,
oldest first; a slow host's entries wait for the next round."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn

from newsdesk.feeds.parse import STREAM_MIN_BYTES
from newsdesk.pipeline.poll import new_extractor, poll, poll_async
from newsdesk.web.app import create_app
from tests.sites.hostile_feeds import (
    FeedServer,
    entity_feed,
    many_items_feed,
    nested_feed,
    wide_feed,
)


@pytest.fixture
def feeds():
    with FeedServer() as server:
        yield server


@pytest.mark.parametrize("processes", [1, 0])
def test_feeds_too_slow_to_parse_fail_alone_while_the_round_and_the_web_go_on(
    store, settings, feeds, processes
) -> None:
    # under the loose parser's size cap, so feedparser takes them (seconds of CPU each); with
    # pages extracted in-process (0), feeds are still parsed in a worker, under the deadline
    settings = settings.model_copy(
        update={"extract_processes": processes, "feed_parse_seconds": 0.2}
    )
    nested, _ = store.add_feed(feeds.add("/nested.xml", nested_feed(400_000)))
    entity, _ = store.add_feed(feeds.add("/entity.xml", entity_feed(500_000)))
    healthy, _ = store.add_feed(feeds.add("/healthy.xml", many_items_feed(12, feeds.base_url)))
    answers: list[int] = []

    async def round_beside_the_web() -> None:
        app = create_app(settings, store=store)
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="error"))
        serving = asyncio.create_task(server.serve())
        while not server.started:
            await asyncio.sleep(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        done = threading.Event()

        def ask() -> None:  # a reader signing in while the round runs, as under `newsdesk up`
            with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
                while not done.is_set() or not answers:
                    answers.append(client.get("/login").status_code)

        asker = threading.Thread(target=ask)
        asker.start()
        try:
            return await poll_async(store, settings)
        finally:
            done.set()
            await asyncio.to_thread(asker.join)
            server.should_exit = True
            await serving

    report = asyncio.run(round_beside_the_web())

    for feed in (nested, entity):
        stored = store.get_feed(feed.id)
        assert stored.last_error == "feed took more than 0.2 s to parse" + f" ({feed.url})"
        assert stored.error_count == 1
    assert store.get_feed(healthy.id).last_error is None
    assert len(report.errors) == 2
    assert report.new_articles == 12
    assert {a.article.url for a in store.list_articles(limit=100)} == {
        f"{feeds.base_url}/a/{number}.html" for number in range(12)
    }
    assert answers and set(answers) == {200}


def test_a_large_feed_is_taken_a_capped_number_at_a_time_oldest_first(
    store, settings, feeds
) -> None:
    settings = settings.model_copy(
        update={"extract_processes": 0, "feed_entries_per_poll": 20, "save_wait": 0.0}
    )
    feed, _ = store.add_feed(feeds.add("/big.xml", many_items_feed(100, feeds.base_url)))
    taken: list[int] = []
    for _ in range(5):
        before = {a.article.url for a in store.list_articles(limit=2000)}
        report = poll(store, settings)  # due feeds only: the feed is due again at once
        assert report.errors == []
        after = {a.article.url for a in store.list_articles(limit=2000)}
        numbers = sorted(int(url.rsplit("/", 1)[1].removesuffix(".html")) for url in after - before)
        assert numbers == list(range(len(taken), len(taken) + 20))  # the oldest left
        assert report.left == 100 - len(taken) - 20
        taken += numbers
    assert taken == list(range(100))
    assert feeds.hits("/a/") == 100  # no page fetched twice, none skipped
    assert poll(store, settings).feeds == 0  # all taken: the feed waits for its schedule


def test_a_long_document_is_taken_in_windows_until_every_entry_is_stored_once(
    store, settings, feeds
) -> None:
    # over a megabyte, so the worker reads it item by item and sends only keys, then the
    # window's entries: 300 entries, 120 a poll, oldest first
    settings = settings.model_copy(
        update={"extract_processes": 1, "feed_entries_per_poll": 120, "save_wait": 0.0}
    )
    body = many_items_feed(300, feeds.base_url, words=900)
    assert len(body) > STREAM_MIN_BYTES
    feed, _ = store.add_feed(feeds.add("/long.xml", body))
    lefts = []
    for _ in range(3):
        report = poll(store, settings)
        assert report.errors == []
        lefts.append(report.left)
    assert lefts == [180, 60, 0]
    assert poll(store, settings).feeds == 0  # all taken: the feed waits for its schedule
    urls = [a.article.url for a in store.list_articles(limit=1000)]
    assert sorted(urls) == sorted(f"{feeds.base_url}/a/{number}.html" for number in range(300))
    assert feeds.hits("/a/") == 300  # each page fetched once: none twice, none skipped
    assert store.get_feed(feed.id).last_error is None


def test_a_feed_over_the_worker_memory_fails_alone_and_its_worker_is_replaced(
    store, settings, feeds
) -> None:
    # 20 MB of one item's empty elements: the item's tree needs far more than 300 MB
    settings = settings.model_copy(update={"extract_processes": 1, "worker_memory_mb": 300})
    hostile, _ = store.add_feed(feeds.add("/wide.xml", wide_feed(20_000_000)))
    healthy, _ = store.add_feed(feeds.add("/healthy.xml", many_items_feed(5, feeds.base_url)))
    extractor = new_extractor(settings)
    try:
        first = asyncio.run(poll_async(store, settings, [hostile.id], extractor=extractor))
        ran_out = set(extractor.worker_pids)  # the one worker (or none once it is noticed)
        second = asyncio.run(poll_async(store, settings, [healthy.id], extractor=extractor))
        replaced_by = set(extractor.worker_pids)
    finally:
        extractor.close()
    line = f"feed needs more memory than a worker may hold (300 MB) ({hostile.url})"
    assert store.get_feed(hostile.id).last_error == line
    assert first.errors == [f"{hostile.display_name}: {line}"]
    assert replaced_by and not replaced_by & ran_out  # the worker that ran out is replaced
    assert second.errors == [] and second.new_articles == 5  # ...and the next one works
    assert store.get_feed(healthy.id).last_error is None


def test_a_slow_hosts_entries_wait_for_the_next_round(store, settings) -> None:
    # the slow host's pages outlast the read timeout (3 s): the three pages a feed has under
    # way when its 2.5 s are up finish (as the feed's copies), the rest wait
    settings = settings.model_copy(
        update={"extract_processes": 0, "feed_round_seconds": 2.5, "save_wait": 0.0}
    )
    with FeedServer(page_delay=4.0) as slow, FeedServer() as quick:
        slow_feed, _ = store.add_feed(slow.add("/feed.xml", many_items_feed(8, slow.base_url)))
        store.add_feed(quick.add("/feed.xml", many_items_feed(5, quick.base_url)))
        first = poll(store, settings)
        assert first.errors == []
        assert quick.hits("/a/") == 5  # the other feed finished its round
        assert first.left == 5  # the slow one started no page once its time was up
        assert first.new_articles == 8
        assert store.get_feed(slow_feed.id).last_error is None

        slow.page_delay = 0.0  # the host recovers: the entries left come next round, in order
        second = poll(store, settings)
        assert (second.feeds, second.new_articles, second.left) == (1, 5, 0)
        assert slow.hits("/a/") == 8  # each page asked for once, none skipped
        assert store.count_articles() == 13


def descendants(pid: int) -> set[int]:
    """Every process below `pid` (children, their children...), from /proc."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = Path(f"/proc/{entry}/stat").read_text()
                parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_workers_die_with_a_killed_poller_at_once(store, settings, feeds) -> None:
    # a feed the loose parser takes seconds over, under a deadline far away: its worker is
    # busy parsing when the poller is killed
    store.add_feed(feeds.add("/nested.xml", nested_feed(500_000)))
    env = dict(
        os.environ,
        NEWSDESK_DATA_DIR=str(settings.data_dir),
        NEWSDESK_ALLOW_PRIVATE_NETWORKS="true",
        NEWSDESK_PER_HOST_INTERVAL="0",
        NEWSDESK_EXTRACT_PROCESSES="1",
        NEWSDESK_FEED_PARSE_SECONDS="120",
    )
    poller = subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "poll", "--once"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        until = time.monotonic() + 60
        while feeds.hits("/nested.xml") == 0 and time.monotonic() < until:
            time.sleep(0.05)
        assert feeds.hits("/nested.xml") == 1, "the poller never fetched the feed"
        time.sleep(0.5)  # the feed is with its worker
        below = descendants(poller.pid)
        assert len(below) >= 2  # the forkserver and the worker parsing the feed
        poller.send_signal(signal.SIGKILL)
        poller.wait()
        until = time.monotonic() + 3
        while any(map(alive, below)) and time.monotonic() < until:
            time.sleep(0.05)
        assert [pid for pid in below if alive(pid)] == []
    finally:
        if poller.poll() is None:
            poller.kill()
            poller.wait()
