"""Bounded polls: a feed that costs its parser too much fails in its worker while the rest of
the round (and the web) goes on; a feed's new entries are taken a capped number at a time,
oldest first; a slow host's entries wait for the next round."""

from __future__ import annotations

import asyncio
import threading

import httpx
import pytest
import uvicorn

from newsdesk.pipeline.poll import poll, poll_async
from newsdesk.web.app import create_app
from tests.sites.hostile_feeds import FeedServer, entity_feed, many_items_feed, nested_feed


@pytest.fixture
def feeds():
    with FeedServer() as server:
        yield server


def test_feeds_too_slow_to_parse_fail_alone_while_the_round_and_the_web_go_on(
    store, settings, feeds
) -> None:
    # under the loose parser's size cap, so feedparser takes them (seconds of CPU each)
    settings = settings.model_copy(update={"extract_processes": 1, "feed_parse_seconds": 0.2})
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
