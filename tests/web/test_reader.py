"""The HTML reader over a real server and SQLite store: river, article, search, state, errors."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from html import unescape

import httpx

from newsdesk.match.related import key_terms
from newsdesk.model import Article
from newsdesk.web.times import exact_time, relative_time
from tests.match.test_stories import PERU_1, PERU_2
from tests.web.conftest import ADMIN, LiveServer, seed_articles
from tests.web.copies import match_stored, seed_with_copy

ITEM_TITLE = re.compile(r'<a class="open" href="/articles/(\d+)">([^<]*)</a>')


def titles(html: str) -> list[str]:
    return [title for _, title in ITEM_TITLE.findall(html)]


def test_river_is_newest_first_and_pages_through_everything(
    live: LiveServer, admin_client: httpx.Client
):
    seed_articles(live.store, 70)
    seen: list[str] = []
    url = "/"
    pages = 0
    while url:
        page = admin_client.get(url)
        assert page.status_code == 200
        seen += titles(page.text)
        match = re.search(r'<a href="([^"]+)" rel="next">', page.text)
        url = match.group(1).replace("&amp;", "&") if match else ""
        pages += 1
    assert pages == 3
    assert seen == [f"Story number {i}" for i in range(70)]


def test_river_item_shows_source_time_teaser_and_thumbnail(
    live: LiveServer, admin_client: httpx.Client
):
    def make(i: int) -> Article:
        return Article(
            url="https://news.example.org/lead",
            title="Harbour reopens after storm",
            published=datetime.now(UTC) - timedelta(hours=3, minutes=5),
            description="Ships returned to the harbour on Tuesday.",
            image="https://news.example.org/harbour.jpg",
            text="Ships returned.",
        )

    seed_articles(live.store, 1, make=make)
    html = admin_client.get("/").text
    assert "Harbour reopens after storm" in html
    assert "Example News" in html
    assert "Ships returned to the harbour on Tuesday." in html
    assert 'src="https://news.example.org/harbour.jpg"' in html
    assert re.search(r'<time datetime="[^"]+" title="[A-Z][a-z]+day [^"]+UTC">3 h ago</time>', html)


def test_river_filters_by_source_folder_language(live: LiveServer, admin_client: httpx.Client):
    world, _ = seed_articles(live.store, 2, folder="World")
    sport, _ = seed_articles(
        live.store,
        2,
        feed_url="https://sport.example.net/rss",
        title="Sport Daily",
        folder="Sport",
        make=lambda i: Article(
            url=f"https://sport.example.net/match-{i}",
            title=f"Match report {i}",
            language="de",
            text="Tor.",
        ),
    )
    assert set(titles(admin_client.get(f"/?feed={sport.id}").text)) == {
        "Match report 0",
        "Match report 1",
    }
    assert set(titles(admin_client.get("/?folder=World").text)) == {
        "Story number 0",
        "Story number 1",
    }
    assert set(titles(admin_client.get("/?lang=de").text)) == {"Match report 0", "Match report 1"}
    assert admin_client.get("/?feed=9999").status_code == 404


def test_star_read_and_filters_per_user(live: LiveServer, admin_client: httpx.Client):
    _, ids = seed_articles(live.store, 3)
    csrf = admin_client.csrf
    answer = admin_client.post(
        f"/articles/{ids[1]}/star",
        data={"value": "1", "csrf": csrf},
        headers={"Accept": "application/json"},
    )
    assert answer.json() == {"id": ids[1], "read": False, "starred": True}
    redirect = admin_client.post(
        f"/articles/{ids[2]}/read", data={"value": "1", "csrf": csrf, "next": "/?unread=1"}
    )
    assert redirect.status_code == 303 and redirect.headers["location"] == "/?unread=1"
    assert titles(admin_client.get("/?starred=1").text) == ["Story number 1"]
    assert titles(admin_client.get("/?unread=1").text) == ["Story number 0", "Story number 1"]
    unstar = admin_client.post(
        f"/articles/{ids[1]}/star",
        data={"value": "0", "csrf": csrf},
        headers={"Accept": "application/json"},
    )
    assert unstar.json()["starred"] is False
    bad = admin_client.post(f"/articles/{ids[1]}/star", data={"value": "yes", "csrf": csrf})
    assert bad.status_code == 400 and "value must be 1" in bad.text
    missing = admin_client.post("/articles/99999/star", data={"value": "1", "csrf": csrf})
    assert missing.status_code == 404


def test_mark_all_read_leaves_newer_articles_unread(live: LiveServer, admin_client: httpx.Client):
    feed, _ = seed_articles(live.store, 4)
    page = admin_client.get(f"/?feed={feed.id}&unread=1").text
    upto = re.search(r'name="upto" value="([^"]+)"', page).group(1)
    # an article arrives after the page was shown
    live.store.save_article(
        Article(url="https://news.example.org/late", title="Late news", text="x"),
        feed_id=feed.id,
        fetched_at=datetime.now(UTC) + timedelta(minutes=10),
    )
    done = admin_client.post(
        "/mark-all-read",
        data={"feed": str(feed.id), "upto": upto, "csrf": admin_client.csrf, "next": "/?unread=1"},
    )
    assert done.status_code == 303
    assert titles(admin_client.get("/?unread=1").text) == ["Late news"]
    bad = admin_client.post("/mark-all-read", data={"upto": "yesterday", "csrf": admin_client.csrf})
    assert bad.status_code == 400 and "upto must be an ISO date" in bad.text


def test_article_page_shows_clean_article_and_marks_it_read(
    live: LiveServer, admin_client: httpx.Client
):
    def make(i: int) -> Article:
        return Article(
            url="https://news.example.org/2025/budget",
            title="Parliament passes the budget",
            authors=["Ada Lovelace", "Alan Turing"],
            published=datetime(2025, 3, 4, 18, 53, tzinfo=UTC),
            image="https://news.example.org/budget.jpg",
            image_caption="Members voting on Tuesday",
            text=" ".join(["word"] * 700),
            html='<p>First paragraph.</p><script>alert(1)</script><p onclick="x()">Second '
            '<a href="/relative">link</a>.</p>',
        )

    _, ids = seed_articles(live.store, 1, make=make)
    page = admin_client.get(f"/articles/{ids[0]}")
    assert page.status_code == 200
    html = page.text
    assert '<h1 id="story-title">Parliament passes the budget</h1>' in html
    assert "By Ada Lovelace, Alan Turing" in html
    assert "Tuesday 4 March 2025, 18:53 UTC" in html
    assert "3 min read" in html
    assert "<figcaption>Members voting on Tuesday</figcaption>" in html
    assert "<p>First paragraph.</p>" in html
    assert "alert(1)" not in html and "onclick" not in html
    assert 'href="https://news.example.org/relative"' in html
    assert 'href="https://news.example.org/2025/budget"' in html
    user = live.store.find_user(ADMIN)
    assert live.store.article_states(user.id, ids)[ids[0]][0] is True


def test_related_stories_are_related_never_random(live: LiveServer, admin_client: httpx.Client):
    stories = [
        (
            "Volcano erupts near Reykjavik",
            "The volcano on the Reykjanes peninsula erupted, "
            "sending lava towards Grindavik. Iceland evacuated Grindavik as the volcano erupted.",
        ),
        (
            "Lava reaches Grindavik homes",
            "Lava from the Reykjanes volcano reached homes in "
            "Grindavik; Iceland's civil protection said the eruption continues.",
        ),
        (
            "Football club signs new striker",
            "The club confirmed the transfer of a striker from Lisbon after a medical on Monday.",
        ),
        (
            "Bakery wins bread prize",
            "A small bakery won the national prize for sourdough bread, judges praised the crust.",
        ),
    ]

    def make(i: int) -> Article:
        title, text = stories[i]
        return Article(url=f"https://news.example.org/s{i}", title=title, text=text)

    _, ids = seed_articles(live.store, len(stories), make=make)
    match_stored(live)
    volcano, lava = live.store.get_articles(ids[:2])
    assert volcano.story_id == lava.story_id  # one eruption: one story, not a related one
    html = admin_client.get(f"/articles/{ids[0]}").text
    assert 'id="related-title"' not in html  # football and bread are no relation
    assert f'href="/stories/{volcano.story_id}"' in html  # its own story's coverage instead
    lonely = admin_client.get(f"/articles/{ids[3]}").text
    assert 'id="related-title"' not in lonely


def test_search_highlights_filters_and_links_a_feed(live: LiveServer, admin_client: httpx.Client):
    seed_articles(live.store, 5)
    page = admin_client.get("/search", params={"q": "paragraph", "lang": "en"})
    assert page.status_code == 200
    assert "<mark>" in page.text
    assert len(titles(page.text)) == 5
    assert 'href="/search.atom?q=paragraph&amp;lang=en"' in page.text
    none = admin_client.get("/search", params={"q": "zeppelin"})
    assert "Nothing matches" in none.text
    ranged = admin_client.get(
        "/search", params={"q": "paragraph", "since": "2001-01-01", "until": "2001-12-31"}
    )
    assert titles(ranged.text) == []
    bad = admin_client.get("/search", params={"q": "x", "since": "last week"})
    assert bad.status_code == 400
    assert "From must be a date like 2025-03-31" in bad.text


def test_search_pages_and_leaves_out_copies(live: LiveServer, admin_client: httpx.Client):
    _, ids = seed_with_copy(live, 25, copy=1, of=0)  # one copy: 24 originals match
    first = admin_client.get("/search", params={"q": "paragraph"})
    assert len(titles(first.text)) == 20 and "Results 1–20 for" in first.text
    more = re.search(r'<a href="([^"]+)" rel="next">More results</a>', first.text)
    assert more, first.text[-2000:]
    second = admin_client.get(unescape(more.group(1)))
    assert len(titles(second.text)) == 4 and "Results 21–24 for" in second.text
    assert 'rel="next"' not in second.text
    assert set(titles(first.text)).isdisjoint(titles(second.text))
    shown = titles(first.text) + titles(second.text)
    assert shown.count("Story number 0") == 1  # the original, not its copy
    assert admin_client.get("/search", params={"q": "paragraph", "page": 0}).status_code == 400


def test_bad_input_gets_clear_pages_and_json_never_500(
    live: LiveServer, admin_client: httpx.Client
):
    missing = admin_client.get("/articles/424242")
    assert missing.status_code == 404 and "no article with id 424242" in missing.text
    assert "text/html" in missing.headers["content-type"]
    wrong = admin_client.get("/articles/abc")
    assert wrong.status_code == 400
    assert "The article id in the address must be a whole number, not &#39;abc&#39;." in wrong.text
    huge = admin_client.get("/articles/99999999999999999999999")
    assert huge.status_code == 400 and "The article id in the address is too large" in huge.text
    assert admin_client.get("/?feed=99999999999999999999999").status_code == 400
    bad_feed = admin_client.post(
        "/mark-all-read", data={"feed": "9" * 20, "csrf": admin_client.csrf}
    )
    assert bad_feed.status_code == 400 and "feed must be a source id" in bad_feed.text
    cursor = admin_client.get("/?before=not-a-cursor")
    assert cursor.status_code == 400 and "invalid page cursor" in cursor.text
    long = admin_client.get("/search", params={"q": "x" * 600})
    assert long.status_code == 400 and "The search in the address is too long" in long.text
    api = admin_client.get("/api/no/such/route")
    assert api.status_code == 404
    assert api.headers["content-type"].startswith("application/json")
    assert "error" in api.json()
    nowhere = admin_client.get("/no/such/page")
    assert nowhere.status_code == 404 and "there is nothing at /no/such/page" in nowhere.text


def test_time_helpers():
    now = datetime(2025, 1, 10, 12, 0, tzinfo=UTC)
    assert relative_time(now - timedelta(seconds=20), now) == "just now"
    assert relative_time(now - timedelta(minutes=5), now) == "5 min ago"
    assert relative_time(now - timedelta(hours=3), now) == "3 h ago"
    assert relative_time(now - timedelta(days=2), now) == "2 d ago"
    assert relative_time(now + timedelta(minutes=10), now) == "in 10 min"
    assert relative_time(now - timedelta(days=30), now) == "11 Dec 2024"
    assert (
        exact_time(datetime(2025, 1, 10, 9, 5, tzinfo=UTC)) == "Friday 10 January 2025, 09:05 UTC"
    )
    assert key_terms("Volcano erupts", "the volcano erupted again, volcano")[:1] == ["volcano"]


def test_a_storys_other_outlets_are_also_reported_never_related(
    live: LiveServer, admin_client: httpx.Client
):
    # two reports of one earthquake, and a wire copy of the first under its own headline
    quake_text = PERU_1[1] + " Aftershocks kept families out of their homes through the night."
    reports = [(PERU_1[0], quake_text, "a"), (PERU_2[0], PERU_2[1], "b")]
    now = datetime.now(UTC)
    _, (original, other) = seed_articles(
        live.store,
        2,
        make=lambda i: Article(
            url=f"https://news.example.org/{reports[i][2]}",
            title=reports[i][0],
            text=reports[i][1],
            published=now,
        ),
    )
    _, (copy,) = seed_articles(
        live.store,
        1,
        feed_url="https://wire.example.com/rss",
        title="Wire Copy",
        make=lambda i: Article(
            url="https://wire.example.com/a", title="Wire version", text=quake_text, published=now
        ),
    )
    match_stored(live)
    assert live.store.get_article(copy).duplicate_of == original
    story = live.store.get_story(live.store.get_article(original).story_id)
    assert sorted(story.article_ids) == [original, other, copy]
    html = admin_client.get(f"/articles/{original}").text
    # the story's other outlets: the wire (the second report is the same outlet's)
    also = html.split('id="also-title"')[1].split("</section>")[0]
    assert "Wire Copy" in also and "Wire version" in also and PERU_2[0] not in also
    assert f'href="/stories/{story.id}"' in html  # the whole coverage is a click away
    assert 'id="related-title"' not in html  # its own story and copies are never related
    copy_page = admin_client.get(f"/articles/{copy}").text
    assert PERU_1[0] in copy_page.split('id="also-title"')[1].split("</section>")[0]


def test_river_shows_changes_made_after_it_was_last_shown(
    live: LiveServer, admin_client: httpx.Client
):
    feed, ids = seed_articles(live.store, 2)
    assert titles(admin_client.get("/").text) == ["Story number 0", "Story number 1"]
    assert titles(admin_client.get("/?unread=1").text) == ["Story number 0", "Story number 1"]
    newer = Article(url="https://news.example.org/newer", title="A newer story",
                    published=datetime.now(UTC) - timedelta(minutes=1))  # fmt: skip
    live.store.save_article(newer, feed_id=feed.id)
    assert titles(admin_client.get("/").text)[0] == "A newer story"
    admin_client.get(f"/articles/{ids[0]}")  # opening an article reads it
    assert "Story number 0" not in titles(admin_client.get("/?unread=1").text)


def test_times_read_as_strftime_writes_them():
    # the names are written out rather than asked of strftime: the same text, any date or zone
    zones = [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-8))]
    moment = datetime(1999, 12, 31, 23, 59, tzinfo=UTC)
    for step in range(3000):
        moment += timedelta(days=37, minutes=113)
        shown = moment.astimezone(zones[step % 3])
        zone = shown.strftime("%z")
        label = "UTC" if zone == "+0000" else f"UTC{zone[:3]}:{zone[3:]}"
        assert exact_time(shown) == shown.strftime("%A %-d %B %Y, %H:%M ") + label
        later = moment + timedelta(days=8 + step % 400)
        assert relative_time(shown, later) == moment.strftime("%-d %b %Y")
    naive = datetime(2025, 6, 2, 7, 3)
    assert exact_time(naive) == "Monday 2 June 2025, 07:03 UTC"


def test_search_results_show_their_snippet_instead_of_the_teaser(
    live: LiveServer, admin_client: httpx.Client
):
    def make(i: int) -> Article:
        return Article(
            url=f"https://news.example.org/teased-{i}",
            title=f"Teased story {i}",
            description=f"Teaser sentence {i} about nothing in particular.",
            text=f"Body {i} mentions a lighthouse keeper by the sea.",
            published=datetime.now(UTC) - timedelta(hours=i + 1),
        )

    seed_articles(live.store, 2, make=make)
    river = admin_client.get("/").text
    assert '<p class="teaser">Teaser sentence 0 about nothing in particular.</p>' in river
    page = admin_client.get("/search", params={"q": "lighthouse"}).text
    assert page.count('<p class="teaser snippet">') == 2
    assert "<mark>lighthouse</mark> keeper" in page
    assert "Teaser sentence" not in page
