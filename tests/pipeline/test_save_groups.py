"""Articles of the feeds polled together are saved in shared groups; each feed's poll is recorded
only once all its articles are stored. The fixture publisher on loopback, a real SQLite store."""

from __future__ import annotations

import asyncio
import math
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from newsdesk.pipeline.params import PipelineParams
from newsdesk.pipeline.poll import poll_async
from newsdesk.pipeline.subscribe import subscribe

SITES = ("daily-planet", "northern-courier", "harbour-gazette", "tokyo-shimbun")
LIVENESS = 60.0  # seconds a poll may take at most here: far below the save_wait tests set


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"extract_processes": 0})


@pytest.fixture
def read_log(store):
    """Each time a feed is recorded as read: how many of its articles, and how many articles
    in all, the store held then (a trigger in the same database, in the same transaction)."""
    with store.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE read_log (feed_id INTEGER, its INTEGER, stored INTEGER)")
        conn.exec_driver_sql(
            "CREATE TRIGGER log_read AFTER UPDATE OF last_fetched_at ON feeds"
            " WHEN NEW.last_error IS NULL BEGIN INSERT INTO read_log VALUES (NEW.id,"
            " (SELECT count(DISTINCT article_id) FROM entry_keys WHERE feed_id = NEW.id),"
            " (SELECT count(*) FROM articles)); END"
        )

    def rows() -> list[tuple[int, int, int]]:
        with store.engine.connect() as conn:
            return [tuple(row) for row in conn.exec_driver_sql("SELECT * FROM read_log")]

    return rows


def follow_all(store, settings, publisher) -> dict[int, int]:
    """Every fixture site's feed followed: feed id -> number of its articles."""
    feeds = {}
    for site in SITES:
        feed, _ = subscribe(store, settings, publisher.feed_url(site))
        feeds[feed.id] = len(publisher.article_urls(site))
    return feeds


def run_poll(store, settings, **options):
    return asyncio.run(asyncio.wait_for(poll_async(store, settings, **options), LIVENESS))


def test_feeds_polled_together_share_one_transaction(
    store, settings, publisher, read_log
) -> None:
    params = PipelineParams(save_wait=3600.0)  # only the end of the poll saves
    feeds = follow_all(store, settings, publisher)
    total = sum(feeds.values())
    assert total < params.save_group

    report = run_poll(store, settings, params=params)

    assert report.errors == []
    assert report.new_articles == total == store.count_articles()
    assert report.save_groups == 1 < len(feeds)
    # every feed was recorded with all articles of every feed already stored
    assert sorted(read_log()) == sorted((feed_id, its, total) for feed_id, its in feeds.items())


def test_a_feed_is_recorded_read_only_after_all_its_groups_are_stored(
    store, settings, publisher, read_log
) -> None:
    params = PipelineParams(save_group=3)  # every feed's articles span groups
    feeds = follow_all(store, settings, publisher)
    total = sum(feeds.values())

    report = run_poll(store, settings, params=params)

    assert report.errors == [] and report.new_articles == total == store.count_articles()
    assert report.save_groups >= math.ceil(total / 3)
    log = read_log()
    assert sorted(feed_id for feed_id, _, _ in log) == sorted(feeds)
    for feed_id, its, _ in log:
        assert its == feeds[feed_id]
    # polled again: every entry is known, nothing is stored twice
    again = run_poll(store, settings, force=True, params=params)
    assert (again.new_articles, again.save_groups) == (0, 0)
    assert store.count_articles() == total


def test_a_single_feed_does_not_wait_for_others(store, settings, publisher) -> None:
    feed, _ = subscribe(store, settings, publisher.feed_url("daily-planet"))
    params = PipelineParams(save_wait=3600.0)
    report = run_poll(store, settings, feed_ids=[feed.id], params=params)  # fails if it waited
    assert report.errors == []
    assert report.new_articles == len(publisher.article_urls("daily-planet"))
    assert report.save_groups == 1
    assert store.get_feed(feed.id).etag is not None or store.get_feed(feed.id).last_modified


def test_the_last_feeds_of_a_poll_do_not_wait_when_others_fail(
    store, settings, publisher
) -> None:
    feeds = follow_all(store, settings, publisher)
    publisher.set_feed_mode("northern-courier", "error")
    publisher.set_feed_mode("tokyo-shimbun", "not_found")
    report = run_poll(store, settings, params=PipelineParams(save_wait=3600.0))
    assert len(report.errors) == 2
    stored = len(publisher.article_urls("daily-planet")) + len(
        publisher.article_urls("harbour-gazette")
    )
    assert report.new_articles == stored == store.count_articles() < sum(feeds.values())


class SlowPage:
    """A one-entry feed on loopback whose article page is answered only once `release` is set
    (or after `patience` seconds): a feed still fetching while the others are done."""

    def __init__(self, patience: float = 20.0) -> None:
        self.release = threading.Event()
        self.released: bool | None = None  # whether the page was released, or gave up waiting
        page = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the http.server spelling)
                base = f"http://127.0.0.1:{self.server.server_address[1]}"
                if self.path == "/feed.xml":
                    body = (
                        '<?xml version="1.0"?><rss version="2.0"><channel><title>Slow Post'
                        f"</title><link>{base}/</link><item><title>Tide tables revised</title>"
                        f"<link>{base}/tides</link><guid>{base}/tides</guid><description>The"
                        " harbour office revised its tide tables.</description></item>"
                        "</channel></rss>"
                    ).encode()
                    self.answer(200, "application/rss+xml", body)
                elif self.path == "/tides":
                    page.released = page.release.wait(patience)
                    body = (
                        b"<html><head><title>Tide tables revised</title></head><body><article>"
                        b"<h1>Tide tables revised</h1><p>The harbour office revised its tide"
                        b" tables for the spring after the new breakwater changed the currents"
                        b" near the entrance.</p></article></body></html>"
                    )
                    self.answer(200, "text/html; charset=utf-8", body)
                else:
                    self.answer(404, "text/plain", b"not here")

            def answer(self, status: int, kind: str, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/feed.xml"

    def __enter__(self) -> SlowPage:
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def slow_page() -> Iterator[SlowPage]:
    with SlowPage() as page:
        yield page


def test_a_group_is_saved_after_save_wait_while_another_feed_still_fetches(
    store, settings, publisher, slow_page, read_log
) -> None:
    settings = settings.model_copy(update={"read_timeout": 40.0, "total_timeout": 60.0})
    fast, _ = subscribe(store, settings, publisher.feed_url("daily-planet"))
    slow, _ = subscribe(store, settings, slow_page.url)
    done: list[int] = []

    def feed_done(feed, _report) -> None:
        done.append(feed.id)
        if feed.id == fast.id:  # the slow page is answered only once the fast feed is done
            assert slow_page.released is None
            slow_page.release.set()

    report = run_poll(
        store, settings, on_feed_done=feed_done, params=PipelineParams(save_wait=0.2)
    )

    assert report.errors == []
    fast_articles = len(publisher.article_urls("daily-planet"))
    assert report.new_articles == fast_articles + 1 == store.count_articles()
    assert done == [fast.id, slow.id] and slow_page.released is True
    assert report.save_groups >= 2  # the slow feed's article came in a group of its own
    assert dict((feed_id, its) for feed_id, its, _ in read_log()) == {
        fast.id: fast_articles,
        slow.id: 1,
    }
