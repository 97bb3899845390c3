"""Site icons, end to end: polling real sites on 127.0.0.1 finds each feed's site icon politely
(robots.txt, one lookup per site and poll, a week before the next), keeps only real raster
images within the size cap, and the sync APIs serve them: Fever `favicons` (one per feed, under
the feed's id) and Google Reader `iconUrl` (newsdesk's own address, with its type and cache
headers; newsdesk's default icon when the site has none)."""

from __future__ import annotations

import asyncio
import base64
from datetime import timedelta

import httpx
import pytest

from newsdesk.fetch import Fetcher
from newsdesk.pipeline.icons import SiteIcons
from newsdesk.pipeline.poll import poll
from newsdesk.web.icons import DEFAULT_DATA
from tests.sites.icon_sites import EXPECTED, SITES, IconSites
from tests.web import http
from tests.web.conftest import ADMIN, ADMIN_API_PASSWORD, LiveServer
from tests.web.test_sync_apps import API_KEY


@pytest.fixture
def sites() -> IconSites:
    with IconSites() as running:
        yield running


def greader_subscriptions(live: LiveServer) -> dict[str, dict]:
    login = http.post(f"{live.url}/api/greader/accounts/ClientLogin",
                      data={"Email": ADMIN, "Passwd": ADMIN_API_PASSWORD})  # fmt: skip
    auth = login.text.split("Auth=", 1)[1].strip()
    answer = http.get(f"{live.url}/api/greader/reader/api/0/subscription/list?output=json",
                      headers={"Authorization": f"GoogleLogin auth={auth}"})  # fmt: skip
    return {sub["url"]: sub for sub in answer.json()["subscriptions"]}


def test_polling_finds_site_icons_and_the_apis_serve_them(
    live: LiveServer, sites: IconSites
) -> None:
    feeds = {site: live.store.add_feed(sites.feed_url(site))[0] for site in SITES}
    second, _ = live.store.add_feed(sites.feed_url("linked", "/other.xml"))
    report = poll(live.store, live.settings)
    assert report.errors == []

    # politely: one look per site in one poll (two feeds of "linked"), robots.txt obeyed,
    # the icon the home page names first, /favicon.ico only when it names none that works,
    # an SVG icon never fetched
    assert sites.hits("linked", "/") == 1
    assert sites.hits("linked", "/static/site-icon.png") == 1
    assert sites.hits("linked", "/favicon.ico") == sites.hits("linked", "/icon.svg") == 0
    assert sites.hits("ico-only", "/favicon.ico") == 1
    assert sites.hits("none", "/favicon.ico") == 1
    assert sites.hits("html-icon", "/icon.png") == sites.hits("html-icon", "/favicon.ico") == 1
    assert sites.hits("huge", "/big.png") == 1
    assert sites.hits("private", "/") == sites.hits("private", "/favicon.ico") == 0

    subscriptions = greader_subscriptions(live)
    with httpx.Client(timeout=10) as client:
        for site in SITES:
            icon_url = subscriptions[sites.feed_url(site)]["iconUrl"]
            assert icon_url.startswith(f"{live.url}/icons/"), site
            answer = client.get(icon_url)
            assert answer.status_code == 200, site
            expected = EXPECTED[site]
            kind, data = expected if expected else ("image/png", DEFAULT_DATA)
            assert (answer.headers["content-type"], answer.content) == (kind, data), site
            assert answer.headers["cache-control"] == "public, max-age=86400"
            assert answer.headers["x-content-type-options"] == "nosniff"
            assert "default-src 'none'" in answer.headers["content-security-policy"]
            again = client.get(icon_url, headers={"If-None-Match": answer.headers["etag"]})
            assert again.status_code == 304 and again.content == b""
            assert icon_url.endswith("/icons/default") is (expected is None), site
        # the address names no feed and no site; a made-up key is not found
        assert (
            subscriptions[sites.feed_url("linked", "/other.xml")]["iconUrl"]
            == (subscriptions[sites.feed_url("linked")]["iconUrl"])
        )
        assert client.get(f"{live.url}/icons/{'0' * 32}").status_code == 404
        assert client.get(f"{live.url}/icons/..%2Fsecret").status_code == 404

    form = {"api_key": API_KEY}
    body = http.post(f"{live.url}/api/fever.php?api&feeds&favicons", data=form).json()
    favicon_ids = {feed["id"]: feed["favicon_id"] for feed in body["feeds"]}
    assert favicon_ids == {feed.id: feed.id for feed in [*feeds.values(), second]}
    favicons = {icon["id"]: icon["data"] for icon in body["favicons"]}
    assert len(body["favicons"]) == len(favicons) == len(SITES) + 1
    for site, feed in feeds.items():
        kind, data = EXPECTED[site] or ("image/png", DEFAULT_DATA)
        assert favicons[feed.id] == f"{kind};base64,{base64.b64encode(data).decode()}", site

    # the next poll looks for no icon again: the next look is a week away
    before = {site: dict(sites.counts[site]) for site in SITES}
    poll(live.store, live.settings, force=True)
    for site in SITES:
        for path in ("/", "/favicon.ico", "/static/site-icon.png", "/icon.png", "/big.png"):
            assert sites.hits(site, path) == before[site].get(path, 0), (site, path)


def test_icons_are_looked_for_again_after_a_week(live: LiveServer, sites: IconSites) -> None:
    feed, _ = live.store.add_feed(sites.feed_url("ico-only"))
    home = sites.base("ico-only") + "/"

    async def look(every: timedelta) -> None:
        async with Fetcher(live.settings) as fetcher:
            await SiteIcons(live.store, fetcher, every=every).look(feed, home)

    asyncio.run(look(timedelta(days=7)))
    assert sites.hits("ico-only", "/favicon.ico") == 1
    asyncio.run(look(timedelta(days=7)))  # another poll within the week: nothing fetched
    assert sites.hits("ico-only", "/favicon.ico") == 1
    asyncio.run(look(timedelta(0)))  # due again
    assert sites.hits("ico-only", "/favicon.ico") == 2
    # a look that finds nothing keeps the icon found before
    del sites.routes["ico-only"]["/favicon.ico"]
    asyncio.run(look(timedelta(0)))
    assert sites.hits("ico-only", "/favicon.ico") == 3
    [icon] = live.store.site_icons([sites.base("ico-only")]).values()
    assert (icon.content_type, icon.data) == EXPECTED["ico-only"]
