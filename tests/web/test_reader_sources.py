"""The sources page against the fixture publishers: add by site or feed URL, OPML, edit, health."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

import httpx

from newsdesk.feeds.opml import write_opml
from newsdesk.model import Subscription
from newsdesk.store import Store
from tests.sites.publisher import Publisher
from tests.web.conftest import LiveServer, seed_articles


def wait_for_articles(store: Store, feed_id: int, at_least: int = 1) -> None:
    """The background fetch after adding runs on its own; wait for it (not a timing check)."""
    deadline = time.monotonic() + 90
    while len(store.list_articles(feed_id=feed_id, limit=100)) < at_least:
        assert time.monotonic() < deadline, "the new source's articles never arrived"
        time.sleep(0.2)


def test_add_a_site_by_its_home_page_then_read_its_articles(
    live: LiveServer, admin_client: httpx.Client, publisher: Publisher
):
    home = publisher.home_url("daily-planet")
    added = admin_client.post(
        "/sources", data={"url": home, "folder": "World", "csrf": admin_client.csrf}
    )
    assert added.status_code == 303, added.text[:300]
    feed_id = int(re.search(r"added=(\d+)", added.headers["location"]).group(1))
    feed = live.store.get_feed(feed_id)
    assert feed.url == publisher.feed_url("daily-planet")
    assert feed.folder == "World"
    page = admin_client.get(added.headers["location"])
    assert "Its articles are on the way." in page.text

    wait_for_articles(live.store, feed_id)
    river = admin_client.get("/?folder=World").text
    expected = publisher.expected(publisher.seed_url)
    assert expected.title in river
    seed = next(
        sa for sa in live.store.list_articles(feed_id=feed_id, limit=100)
        if sa.article.url == publisher.seed_url
    )  # fmt: skip
    article = admin_client.get(f"/articles/{seed.id}").text
    assert f'<h1 id="story-title">{expected.title}</h1>' in article
    assert "Advertisement" not in article.split('id="story-title"')[1].split("</article>")[0]

    again = admin_client.post("/sources", data={"url": home, "csrf": admin_client.csrf})
    assert again.status_code == 200
    assert "is already one of your sources" in again.text


def test_add_by_feed_url_and_common_path_discovery(
    live: LiveServer, admin_client: httpx.Client, publisher: Publisher
):
    # northern-courier's home page links no feed; /feed is found by trying common paths
    answer = admin_client.post(
        "/sources",
        data={"url": publisher.home_url("northern-courier"), "csrf": admin_client.csrf},
    )
    assert answer.status_code == 303
    feeds = live.store.list_feeds()
    assert [f.url for f in feeds] == [publisher.feed_url("northern-courier")]


def test_adding_a_bad_address_says_what_went_wrong(
    live: LiveServer, admin_client: httpx.Client, publisher: Publisher
):
    empty = admin_client.post("/sources", data={"url": " ", "csrf": admin_client.csrf})
    assert empty.status_code == 400
    assert "Enter the address of a feed or a site." in empty.text
    nonsense = admin_client.post("/sources", data={"url": "ftp://x", "csrf": admin_client.csrf})
    assert nonsense.status_code == 400
    assert "Could not add ftp://x" in nonsense.text
    publisher.set_feed_mode("harbour-gazette", "not_found")
    missing = admin_client.post(
        "/sources",
        data={"url": publisher.feed_url("harbour-gazette"), "csrf": admin_client.csrf},
    )
    assert missing.status_code == 400
    assert "Could not add" in missing.text
    assert live.store.list_feeds() == []


def test_opml_import_and_export_link(
    live: LiveServer, admin_client: httpx.Client, publisher: Publisher
):
    opml = write_opml(
        [
            Subscription(publisher.feed_url("daily-planet"), title="Daily Planet", folder="News"),
            Subscription(publisher.feed_url("tokyo-shimbun"), title="Tokyo Shimbun"),
        ]
    )
    upload = {"file": ("subs.opml", opml.encode(), "text/x-opml")}
    first = admin_client.post("/sources/import", data={"csrf": admin_client.csrf}, files=upload)
    assert first.status_code == 200
    assert "Imported 2 new sources." in first.text
    assert "Daily Planet" in first.text and "Tokyo Shimbun" in first.text
    assert 'href="/opml"' in first.text
    second = admin_client.post("/sources/import", data={"csrf": admin_client.csrf}, files=upload)
    assert "Imported 0 new sources; 2 already there." in second.text
    assert {f.folder for f in live.store.list_feeds()} == {"News", None}

    broken = {"file": ("subs.opml", b"<opml><body><outline", "text/xml")}
    bad = admin_client.post("/sources/import", data={"csrf": admin_client.csrf}, files=broken)
    assert bad.status_code == 400
    assert (
        "Could not import subs.opml: it is not an OPML file (the list of feeds other readers "
        "export)." in bad.text
    )
    assert "XML" not in bad.text.split('role="alert"')[1].split("</p>")[0]  # no parser talk
    empty = {"file": ("empty.opml", b"", "text/xml")}
    assert (
        admin_client.post(
            "/sources/import", data={"csrf": admin_client.csrf}, files=empty
        ).status_code
        == 400
    )


def test_rename_move_pause_license_and_delete(live: LiveServer, admin_client: httpx.Client):
    feed, _ = seed_articles(live.store, 2)
    saved = admin_client.post(
        f"/sources/{feed.id}",
        data={
            "title": "My Paper",
            "folder": "Local",
            "paused": "1",
            "licensed_full_text": "1",
            "csrf": admin_client.csrf,
        },
    )
    assert saved.status_code == 303
    stored = live.store.get_feed(feed.id)
    assert (stored.user_title, stored.folder, stored.paused, stored.licensed_full_text) == (
        "My Paper",
        "Local",
        True,
        True,
    )
    page = admin_client.get("/sources").text
    assert "My Paper" in page and "paused" in page
    assert "My Paper" in admin_client.get("/").text  # the river uses the new name

    admin_client.post(f"/sources/{feed.id}", data={"title": "", "csrf": admin_client.csrf})
    stored = live.store.get_feed(feed.id)
    assert stored.user_title is None and stored.paused is False and stored.folder is None

    gone = admin_client.post(f"/sources/{feed.id}/delete", data={"csrf": admin_client.csrf})
    assert gone.status_code == 303
    assert live.store.list_feeds() == []
    missing = admin_client.post(f"/sources/{feed.id}/delete", data={"csrf": admin_client.csrf})
    assert missing.status_code == 404


def test_health_shows_fetch_times_rate_and_last_error(live: LiveServer, admin_client: httpx.Client):
    feed, _ = seed_articles(live.store, 14)
    now = datetime.now(UTC)
    live.store.record_fetch(
        feed.id,
        fetched_at=now - timedelta(hours=2),
        next_fetch_at=now + timedelta(minutes=30),
        error="the server answered 503 Service Unavailable",
        error_count=3,
    )
    page = admin_client.get("/sources").text
    assert "2 h ago" in page
    assert "in 29 min" in page or "in 30 min" in page
    assert "the server answered 503 Service Unavailable" in page
    assert "(3 times in a row)" in page
    assert re.search(r"<dt>Articles per day</dt><dd>\d+\.\d</dd>", page)
