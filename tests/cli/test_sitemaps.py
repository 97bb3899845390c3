"""Sites without a feed, followed through their sitemaps: subscribed with `newsdesk add`,
polled like feeds, their articles stored with the news sitemap's titles and dates."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from tests.cli.conftest import Cli
from tests.sites.sitemap_site import SitemapSite

DAY = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=6)


@pytest.fixture
def index_site() -> Iterator[SitemapSite]:
    """robots.txt names an index: a news sitemap (two stories) and an older regular one."""
    with SitemapSite("index") as site:
        site.add_article("Harbour bridge reopens after repairs", published=DAY)
        site.add_article("Council approves the new ferry timetable",
                         published=DAY + timedelta(hours=1))  # fmt: skip
        site.add_article("An archived story from years ago", published=DAY - timedelta(days=2000),
                         news=False)  # fmt: skip
        yield site


def by_title(cli) -> dict[str, dict]:
    return {a["title"]: a for a in cli.json_lines("articles", "--all")}


def test_a_site_without_a_feed_is_followed_through_its_news_sitemap(cli, index_site) -> None:
    added = cli("add", index_site.home_url)
    assert "added [1] Harbour Ledger" in added.stdout
    assert "sitemap_index.xml, through its sitemap" in added.stdout
    [feed] = cli.json_lines("feeds")
    assert feed["kind"] == "sitemap"
    assert feed["url"] == index_site.url("/sitemap_index.xml")
    assert "(sitemap)" in cli("feeds").stdout

    cli("poll", "--once")
    stored = by_title(cli)
    # titles and dates come from the news sitemap: the pages carry neither
    assert set(stored) == {
        "Harbour bridge reopens after repairs",
        "Council approves the new ferry timetable",
    }
    bridge = stored["Harbour bridge reopens after repairs"]
    assert datetime.fromisoformat(bridge["published"]) == DAY
    assert bridge["language"] == "en"
    assert "reported by the Harbour Ledger desk" in bridge["text"]
    # the news sitemap is preferred: the older regular one costs no fetch at all
    assert index_site.hits["/sitemap-news.xml"] == 1
    assert index_site.hits["/sitemap-archive.xml"] == 0
    assert cli.json_lines("feeds")[0]["error"] is None


def test_a_second_poll_takes_only_the_new_urls(cli, index_site) -> None:
    cli("add", index_site.home_url)
    cli("poll", "--once")
    old_pages = [a.path for a in index_site.articles if a.news]
    assert all(index_site.hits[path] == 1 for path in old_pages)

    index_site.add_article("Fishing fleet returns early", published=DAY + timedelta(hours=2))
    index_site.add_article("Lighthouse keeper retires", published=DAY + timedelta(hours=3))
    report = cli.json_lines("poll", "1", "--once")[0]
    assert report["new_articles"] == 2
    assert len(by_title(cli)) == 4
    # the stories polled before are not fetched again
    assert all(index_site.hits[path] == 1 for path in old_pages)

    # nothing new: the news sitemap is asked for conditionally and answers 304
    before = index_site.conditional_hits["/sitemap-news.xml"]
    report = cli.json_lines("poll", "1", "--once")[0]
    assert report["new_articles"] == 0
    assert index_site.conditional_hits["/sitemap-news.xml"] == before + 1
    assert index_site.conditional_hits["/sitemap_index.xml"] >= 1


def test_the_entry_cap_takes_the_oldest_first_and_the_rest_next_time(cli, index_site) -> None:
    cli.env["NEWSDESK_FEED_ENTRIES_PER_POLL"] = "1"
    cli("add", index_site.home_url)
    first = cli.json_lines("poll", "--once")[0]
    assert first["new_articles"] == 1
    assert set(by_title(cli)) == {"Harbour bridge reopens after repairs"}
    second = cli.json_lines("poll", "--once")[0]  # due again at once: nothing skipped for good
    assert second["new_articles"] == 1
    assert len(by_title(cli)) == 2


def test_a_site_with_only_sitemap_xml(cli) -> None:
    with SitemapSite("plain") as site:
        site.add_article("Market hall fire under control", published=DAY)
        site.add_article("School wins regional chess final", published=DAY + timedelta(hours=1))
        added = cli.json_lines("add", site.home_url)[0]
        assert added["kind"] == "sitemap" and added["url"] == site.url("/sitemap.xml")
        report = cli.json_lines("poll", "--once")[0]
        # its home page, section front and tag page are listed too, and are no articles
        assert report["new_articles"] == 2 and report["errors"] == []
        assert site.hits["/world/"] == 0 and site.hits["/tag/harbour/"] == 0
        texts = [a["text"] for a in cli.json_lines("articles", "--all")]
        assert sorted(t.split(" was reported")[0] for t in texts) == [
            "Market hall fire under control",
            "School wins regional chess final",
        ]


def test_a_gzip_sitemap_named_in_robots_txt(cli) -> None:
    with SitemapSite("gzip") as site:
        site.add_article("Tram line extension opens", published=DAY)
        added = cli.json_lines("add", site.home_url)[0]
        assert added["url"] == site.url("/sitemap-news.xml.gz")
        cli("poll", "--once")
        assert set(by_title(cli)) == {"Tram line extension opens"}


def test_a_malformed_sitemap_keeps_what_reads_and_says_so_on_the_source(cli) -> None:
    with SitemapSite("malformed") as site:
        site.add_article("Flood defences finished", published=DAY)
        site.add_article("A story after the break", published=DAY + timedelta(hours=1))
        cli("add", site.home_url)
        result = cli("poll", "--once")
        assert "1 new articles" in result.stdout
        [feed] = cli.json_lines("feeds")
        assert feed["error"].startswith("malformed sitemap XML (")
        assert "read the 1 URLs before it" in feed["error"]
        assert "\n" not in feed["error"]
        assert "malformed sitemap XML" in result.stderr


def test_a_site_with_neither_feed_nor_sitemap_is_one_clear_line(cli) -> None:
    with SitemapSite("none") as site:
        result = cli("add", site.home_url, ok=False)
        assert result.exit_code == 1
        line = result.stderr.strip()
        assert "\n" not in line
        assert line.startswith("error: no feed or sitemap found")
        assert "/sitemap.xml" in line


def test_an_opml_round_trip_brings_a_sitemap_source_back_as_one(cli, index_site, tmp_path) -> None:
    """OPML has no kind: an imported sitemap URL is found to be one at its first poll."""
    cli("add", index_site.home_url)
    opml = tmp_path / "sources.opml"
    opml.write_text(cli("export").stdout)
    other = Cli(tmp_path / "elsewhere")
    assert other.json_lines("import", str(opml))[0]["added"] == 1
    assert other.json_lines("feeds")[0]["kind"] == "feed"
    report = other.json_lines("poll", "--once")[0]
    assert report["new_articles"] == 2 and report["errors"] == []
    [feed] = other.json_lines("feeds")
    assert feed["kind"] == "sitemap" and feed["url"] == index_site.url("/sitemap_index.xml")
    assert set(by_title(other)) == {
        "Harbour bridge reopens after repairs",
        "Council approves the new ferry timetable",
    }
