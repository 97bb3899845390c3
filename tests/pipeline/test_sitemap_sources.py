"""Sitemap sources polled: which sitemaps of an index are read, and bad input (loops, refused
hosts, caps, a sitemap gone) each recorded on the source as one line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.pipeline.poll import poll
from newsdesk.pipeline.subscribe import subscribe
from tests.sites.sitemap_site import NS, SitemapSite

DAY = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=6)


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"extract_processes": 0})


def index_of(*children: tuple[str, str | None]) -> str:
    rows = "".join(
        f"<sitemap><loc>{url}</loc>{f'<lastmod>{mod}</lastmod>' if mod else ''}</sitemap>"
        for url, mod in children
    )
    return f"<sitemapindex {NS}>{rows}</sitemapindex>"


def titles(store) -> set[str]:
    return {stored.article.title for stored in store.list_articles(limit=100)}


def test_subscribing_prefers_the_news_sitemap_robots_txt_names(store, settings) -> None:
    with SitemapSite("index") as site:
        site.add_article("Harbour bridge reopens", published=DAY)
        site.serve(
            "/robots.txt",
            f"User-agent: *\nSitemap: {site.url('/sitemap_index.xml')}\n"
            f"Sitemap: {site.url('/sitemap-news.xml')}\n",
            "text/plain",
        )
        feed, created = subscribe(store, settings, site.home_url)
        assert created and feed.kind == "sitemap"
        assert feed.url == site.url("/sitemap-news.xml")
        assert feed.title == "Harbour Ledger" and feed.site_url == site.home_url
        # a sitemap's own address is taken as it is
        again, created = subscribe(store, settings, site.url("/sitemap_index.xml"))
        assert created and again.kind == "sitemap" and again.url == site.url("/sitemap_index.xml")


def test_without_names_to_go_by_the_newest_children_are_read(store, settings) -> None:
    with SitemapSite("none") as site:
        old = site.add_article("An old story", published=DAY - timedelta(days=900), news=False)
        new = site.add_article("A new story", published=DAY)
        site.serve(
            "/sitemap.xml",
            index_of((site.url("/a.xml"), "2019-01-01"), (site.url("/b.xml"), DAY.isoformat())),
        )
        site.serve("/a.xml", site.regular_sitemap([site.articles[0]]))
        site.serve("/b.xml", site.news_sitemap())
        settings = settings.model_copy(update={"sitemap_children_per_poll": 1})
        subscribe(store, settings, site.home_url)
        report = poll(store, settings)
        assert report.errors == [] and report.new_articles == 2  # b.xml lists both
        assert site.hits["/a.xml"] == 0 and site.hits["/b.xml"] == 1
        assert {s.article.url for s in store.list_articles(limit=10)} == {old, new}


def test_an_index_loop_is_one_line_and_the_rest_is_read(store, settings) -> None:
    with SitemapSite("none") as site:
        site.add_article("Harbour bridge reopens", published=DAY)
        inner = site.url("/news-index.xml")
        site.serve("/sitemap.xml", index_of((inner, None)))
        site.serve(
            "/news-index.xml", index_of((site.url("/sitemap-news.xml"), None), (inner, None))
        )
        site.serve("/sitemap-news.xml", site.news_sitemap())
        feed, _ = subscribe(store, settings, site.home_url)
        report = poll(store, settings)
        assert titles(store) == {"Harbour bridge reopens"}
        assert report.errors == [f"Harbour Ledger: sitemap index loop: {inner} is named again"]
        assert store.get_feed(feed.id).last_error == f"sitemap index loop: {inner} is named again"
        assert site.hits["/news-index.xml"] == 1


def test_a_child_on_another_site_is_read_and_one_on_a_refused_address_is_not(
    store, settings
) -> None:
    with SitemapSite("none") as site, SitemapSite("none", name="Wire Service") as wire:
        wire.add_article("Wire story on the summit", published=DAY)
        site.add_article("Harbour bridge reopens", published=DAY)
        refused = "http://240.0.0.1/sitemap-news.xml"
        site.serve(
            "/sitemap.xml",
            index_of(
                (site.url("/sitemap-news.xml"), None),
                (wire.url("/sitemap-news-wire.xml"), None),
                (refused, None),
            ),
        )
        site.serve("/sitemap-news.xml", site.news_sitemap())
        wire.serve("/sitemap-news-wire.xml", wire.news_sitemap())
        feed, _ = subscribe(store, settings, site.home_url)
        report = poll(store, settings)
        # other sites are followed as a feed's links are: through the same address guard
        assert titles(store) == {"Harbour bridge reopens", "Wire story on the summit"}
        [line] = report.errors
        assert line.startswith("Harbour Ledger: child sitemap skipped: ")
        assert "240.0.0.1" in line and "reserved" in line
        assert store.get_feed(feed.id).last_error == line.removeprefix("Harbour Ledger: ")
        assert store.get_feed(feed.id).error_count == 0  # the source itself was read


def test_a_huge_sitemap_is_capped_and_says_so(store, settings) -> None:
    with SitemapSite("plain") as site:
        for hour in range(3):
            site.add_article(f"Story of hour {hour}", published=DAY + timedelta(hours=hour))
        settings = settings.model_copy(update={"sitemap_max_urls": 2})
        feed, _ = subscribe(store, settings, site.home_url)
        poll(store, settings)
        assert store.count_articles() == 2
        assert store.get_feed(feed.id).last_error == (
            f"sitemap lists more than 2 URLs: the first 2 read ({site.url('/sitemap.xml')})"
        )


def test_a_sitemap_gone_bad_fails_the_poll_with_one_line(store, settings) -> None:
    with SitemapSite("plain") as site:
        site.add_article("Harbour bridge reopens", published=DAY)
        feed, _ = subscribe(store, settings, site.home_url)
        site.serve("/sitemap.xml", "<html><body>We moved</body></html>", "text/html")
        report = poll(store, settings)
        stored = store.get_feed(feed.id)
        assert stored.error_count == 1
        assert stored.last_error == f"an HTML page, not a sitemap ({site.url('/sitemap.xml')})"
        assert report.errors == [f"Harbour Ledger: {stored.last_error}"]
        site.serve("/sitemap.xml", site.regular_sitemap())
        poll(store, settings, feed_ids=[feed.id])
        assert store.get_feed(feed.id).last_error is None and store.count_articles() == 1


def test_an_unchanged_sitemap_answers_304_and_nothing_is_fetched_again(store, settings) -> None:
    with SitemapSite("plain") as site:
        site.add_article("Harbour bridge reopens", published=DAY)
        feed, _ = subscribe(store, settings, site.home_url)
        assert poll(store, settings).new_articles == 1
        report = poll(store, settings, feed_ids=[feed.id])
        assert report.not_modified == 1 and report.new_articles == 0
        assert site.conditional_hits["/sitemap.xml"] == 1


def test_sitemaps_are_parsed_in_the_worker_processes(store, settings) -> None:
    settings = settings.model_copy(update={"extract_processes": 1})
    with SitemapSite("gzip") as site:
        site.add_article("Harbour bridge reopens", published=DAY)
        subscribe(store, settings, site.home_url)
        report = poll(store, settings)
        assert report.errors == [] and titles(store) == {"Harbour bridge reopens"}
        assert report.parse_cpu_seconds > 0


def test_a_big_index_costs_a_few_fetches_a_poll(store, settings) -> None:
    with SitemapSite("none") as site:
        site.add_article("Harbour bridge reopens", published=DAY)
        months = [(2000 + n // 12, n % 12 + 1) for n in range(300)]  # 300 monthly sitemaps
        children = [(site.url(f"/posts-{y}-{m:02d}.xml"), f"{y}-{m:02d}-28") for y, m in months]
        site.serve("/sitemap.xml", index_of(*reversed(children)))
        for url, _ in children:
            site.serve(url.removeprefix(site.base), site.regular_sitemap())
        subscribe(store, settings, site.home_url)
        site.hits.clear()
        assert poll(store, settings).new_articles == 1
        newest = sorted(children, key=lambda child: child[1])[-3:]
        read = {path for path, hits in site.hits.items() if path.startswith("/posts-") and hits}
        assert read == {url.removeprefix(site.base) for url, _ in newest}
        # the next poll: nothing changed, and the index dates its sitemaps as unchanged
        site.hits.clear()
        assert poll(store, settings, feed_ids=[1]).new_articles == 0
        assert sum(site.hits.values()) == 1  # the index alone, asked for conditionally
        assert site.conditional_hits["/sitemap.xml"] == 1
