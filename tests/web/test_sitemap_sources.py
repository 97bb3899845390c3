"""A site without a feed added through the reader, the JSON API and the Google Reader API: each
takes its sitemap, and each shows the source as any other, its kind visible."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import google_reader
import httpx

from tests.sites.sitemap_site import SitemapSite
from tests.web.conftest import ADMIN, ADMIN_API_PASSWORD, LiveServer, SignedInClient
from tests.web.test_reader_sources import wait_for_articles

DAY = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=6)


def test_the_readers_add_takes_a_sites_sitemap_and_shows_it(
    live: LiveServer, admin_client: SignedInClient
) -> None:
    with SitemapSite("index") as site:
        site.add_article("Harbour bridge reopens after repairs", published=DAY)
        added = admin_client.post(
            "/sources", data={"url": site.home_url, "csrf": admin_client.csrf}
        )
        assert added.status_code == 303, added.text[:300]
        feed_id = int(re.search(r"added=(\d+)", added.headers["location"]).group(1))
        feed = live.store.get_feed(feed_id)
        assert feed.kind == "sitemap" and feed.url == site.url("/sitemap_index.xml")
        wait_for_articles(live.store, feed_id)  # the background fetch a new source gets
        [stored] = live.store.list_articles(feed_id=feed_id, limit=10)
        assert stored.article.title == "Harbour bridge reopens after repairs"

        page = admin_client.get("/sources").text
        row = page.split(f'id="src{feed_id}"')[1].split("</section>")[0]
        assert (
            '<span class="badge" title="a site without a feed, read from its sitemaps">sitemap'
            in row
        )
        assert f'<dt>Sitemap</dt><dd class="url">{site.url("/sitemap_index.xml")}</dd>' in row

        token = admin_client.post(
            "/api/v1/tokens", json={"name": "t"}, headers={"X-CSRF-Token": admin_client.csrf}
        ).json()["token"]
        bearer = {"Authorization": f"Bearer {token}"}
        [listed] = httpx.get(f"{live.url}/api/v1/feeds", headers=bearer).json()
        assert listed["kind"] == "sitemap" and listed["url"] == feed.url
        # the JSON API's add takes a site's sitemap too
        with SitemapSite("plain") as other:
            other.add_article("Market hall fire under control", published=DAY)
            made = httpx.post(
                f"{live.url}/api/v1/feeds", json={"url": other.home_url}, headers=bearer
            )
            assert made.status_code == 201, made.text
            assert made.json()["kind"] == "sitemap"
            assert made.json()["url"] == other.url("/sitemap.xml")


def test_google_reader_quickadd_takes_a_sites_sitemap(live: LiveServer) -> None:
    api = google_reader.Client(f"{live.url}/api/greader")
    auth = api.login(ADMIN, ADMIN_API_PASSWORD)
    token = api.get_token(auth)
    with SitemapSite("plain") as site:
        site.add_article("Market hall fire under control", published=DAY)
        added = api.quick_add_subscription(auth, token, site.home_url)
        assert added.num_results == 1
        raw = httpx.get(
            f"{live.url}/api/greader/reader/api/0/subscription/list",
            params={"output": "json"},
            headers={"Authorization": f"GoogleLogin auth={auth.AccessToken}"},
        ).json()
        [sub] = raw["subscriptions"]
        assert sub["url"] == site.url("/sitemap.xml") and sub["kind"] == "sitemap"
        assert sub["title"] == "Harbour Ledger"
        assert sub["htmlUrl"] == site.home_url
