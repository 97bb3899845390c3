"""An entry linking to something that is not a web page (a PDF, binary served as text/html,
an octet-stream) keeps the feed's own copy: nothing of the binary is stored as an article."""

from __future__ import annotations

import pytest

from newsdesk.pipeline.poll import poll
from newsdesk.pipeline.subscribe import subscribe
from tests.sites.hostile import BINARY_PAGES, HostileServer


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"extract_processes": 0})


@pytest.mark.parametrize("processes", [0, 1])
def test_binary_links_keep_the_feeds_copy(store, settings, processes: int) -> None:
    settings = settings.model_copy(update={"extract_processes": processes})
    with HostileServer() as server:
        feed, _ = subscribe(store, settings, server.url("/binary/feed.xml"))
        report = poll(store, settings, feed_ids=[feed.id])
        for path in BINARY_PAGES:
            assert server.hits(path) == 1, path  # each was fetched, and looked at
    assert report.errors == []
    stored = {a.article.url: a.article for a in store.list_articles(limit=100)}
    assert len(stored) == len(BINARY_PAGES) + 1
    for n, path in enumerate(BINARY_PAGES):
        article = stored[server.url(path)]
        assert article.method == "feed", path
        assert article.text == f"The feed's own words for item {n}.", path
    page = stored[server.url("/page.html")]
    assert page.method != "feed" and "Some words that make up the body" in page.text
