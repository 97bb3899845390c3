"""Output feeds: Atom, RSS 2.0 and JSON Feed 1.1 for every view, read back by feedparser."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import feedparser
import httpx
import jsonschema_rs
import pytest

from newsdesk.feeds.jsonfeed import parse_json_feed
from newsdesk.feeds.opml import parse_opml
from newsdesk.model import Article
from tests.web import http
from tests.web.conftest import ADMIN, ADMIN_API_PASSWORD, LiveServer, seed_articles

FORMATS = ("atom", "rss", "json")
BASIC = httpx.BasicAuth(ADMIN, ADMIN_API_PASSWORD)


@dataclass
class Item:
    title: str
    link: str
    body: str
    author: str | None
    published: datetime | None


# The parts of the JSON Feed 1.1 specification a reader relies on, as a JSON Schema.
JSON_FEED_SCHEMA = {
    "type": "object",
    "required": ["version", "title", "items"],
    "properties": {
        "version": {"const": "https://jsonfeed.org/version/1.1"},
        "title": {"type": "string"},
        "home_page_url": {"type": "string"},
        "feed_url": {"type": "string"},
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id"],
                "anyOf": [{"required": ["content_html"]}, {"required": ["content_text"]}],
                "properties": {
                    "id": {"type": "string"},
                    "url": {"type": "string"},
                    "title": {"type": "string"},
                    "content_html": {"type": "string"},
                    "summary": {"type": "string"},
                    "date_published": {"type": "string", "format": "date-time"},
                    "date_modified": {"type": "string", "format": "date-time"},
                    "authors": {"type": "array", "items": {"type": "object",
                                                           "required": ["name"]}},
                },
            },
        },
    },
}  # fmt: skip


def read(answer: httpx.Response) -> tuple[list[Item], list[str]]:
    """Parse an output feed with a real parser: feedparser for Atom and RSS (no bozo), and for
    JSON Feed (which feedparser 6.0 does not read) a JSON Schema check plus newsdesk's parser.
    Returns the items and the document's self links."""
    assert answer.status_code == 200, answer.text[:300]
    media = answer.headers["content-type"]
    if media.startswith("application/feed+json"):
        data = answer.json()
        jsonschema_rs.validate(JSON_FEED_SCHEMA, data)
        parsed_json = parse_json_feed(answer.text, str(answer.url))
        assert len(parsed_json.entries) == len(data["items"])
        # JSON Feed titles are plain text; the raw value is the one to compare
        items = [
            Item(raw["title"], e.url, e.content_html or "", (e.authors or [None])[0], e.published)
            for raw, e in zip(data["items"], parsed_json.entries, strict=True)
        ]
        return items, [data["feed_url"]]
    parsed = feedparser.parse(answer.content, response_headers={"content-type": media})
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    items = []
    for e in parsed.entries:
        body = e.content[0].value if "content" in e else e.get("summary", "")
        published = (
            datetime(*e.published_parsed[:6], tzinfo=UTC) if e.get("published_parsed") else None
        )
        items.append(Item(e.title, e.link, body, e.get("author"), published))
    selves = [link.href for link in parsed.feed.get("links", []) if link.rel == "self"]
    return items, selves


def entries(answer: httpx.Response) -> list[Item]:
    return read(answer)[0]


def hostile_article(i: int) -> Article:
    return Article(
        url=f"https://news.example.org/hostile-{i}",
        title=f"Hostile story {i} & <friends>",
        published=datetime(2026, 11, 20, 9, 30, tzinfo=UTC) - timedelta(hours=i),
        text=f"Plain body {i}.",
        html=(
            f"<p onclick='steal()'>Full body {i} with <a href='javascript:alert(1)'>a link</a>"
            f" and <a href='/relative'>another</a>.</p><script>alert({i})</script>"
            "<iframe src='https://evil.example/'></iframe><p>Second \x0b paragraph.</p>"
        ),
        description=f"Teaser {i}",
        authors=["Jane Reporter"],
        language="en",
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_all_view_parses_without_bozo_and_carries_sanitised_full_text(
    live: LiveServer, fmt: str
) -> None:
    seed_articles(live.store, 3, make=hostile_article)
    items = entries(http.get(f"{live.url}/all.{fmt}", auth=BASIC))
    assert len(items) == 3
    first = items[0]
    assert first.title == "Hostile story 0 & <friends>"
    assert first.link == "https://news.example.org/hostile-0"
    body = first.body
    assert "Full body 0" in body
    assert "Second  paragraph." in body or "Second paragraph." in body.replace("  ", " ")
    assert "<script" not in body and "alert(" not in body and "onclick" not in body
    assert "<iframe" not in body and "javascript:" not in body
    assert 'href="https://news.example.org/relative"' in body
    assert first.author == "Jane Reporter"
    assert first.published == datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def test_media_types(live: LiveServer) -> None:
    seed_articles(live.store, 1)
    expected = {
        "atom": "application/atom+xml",
        "rss": "application/rss+xml",
        "json": "application/feed+json",
    }
    for fmt, media in expected.items():
        answer = http.get(f"{live.url}/all.{fmt}", auth=BASIC)
        assert answer.headers["content-type"].startswith(media)


def test_json_feed_shape(live: LiveServer) -> None:
    seed_articles(live.store, 2)
    data = http.get(f"{live.url}/all.json", auth=BASIC).json()
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["feed_url"] == f"{live.url}/all.json"
    assert [item["title"] for item in data["items"]] == ["Story number 0", "Story number 1"]
    assert data["items"][0]["content_html"].startswith("<p>Body of story 0.</p>")
    assert data["items"][0]["date_published"].endswith("Z")


@pytest.mark.parametrize("fmt", FORMATS)
def test_source_folder_and_search_views(live: LiveServer, fmt: str) -> None:
    world, _ = seed_articles(live.store, 2, feed_url="https://world.example/rss", folder="World")
    seed_articles(
        live.store,
        1,
        feed_url="https://sport.example/rss",
        make=lambda i: Article(
            url="https://sport.example/match",
            title="Cup final ends in penalties",
            text="The penalties decided the final.",
            published=datetime.now(UTC) - timedelta(hours=1),
        ),
    )
    source = entries(http.get(f"{live.url}/feeds/{world.id}.{fmt}", auth=BASIC))
    assert [e.link for e in source] == [
        "https://world.example/story-0",
        "https://world.example/story-1",
    ]
    folder = entries(http.get(f"{live.url}/folders/World.{fmt}", auth=BASIC))
    assert len(folder) == 2
    found = entries(http.get(f"{live.url}/search.{fmt}", params={"q": "penalties"}, auth=BASIC))
    assert [e.title for e in found] == ["Cup final ends in penalties"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_search_feed_links_to_itself_with_the_query(live: LiveServer, fmt: str) -> None:
    seed_articles(live.store, 1)
    _, selves = read(http.get(f"{live.url}/search.{fmt}", params={"q": "story"}, auth=BASIC))
    assert selves == [f"{live.url}/search.{fmt}?q=story"]


def test_unknown_views_and_formats_are_clear_4xx(live: LiveServer) -> None:
    seed_articles(live.store, 1)
    for path, status in (
        ("/all.html", 404),
        ("/feeds/999.atom", 404),
        ("/folders/Nothing.rss", 404),
        ("/stories/12345.json", 404),
        ("/search.atom", 422),
        ("/search.atom?q=%20", 400),
        ("/all.atom?limit=0", 422),
        ("/all.atom?limit=abc", 422),
    ):
        answer = http.get(live.url + path, auth=BASIC)
        assert answer.status_code == status, (path, answer.text)
        assert answer.json()["error"], path


def test_private_by_default(live: LiveServer) -> None:
    seed_articles(live.store, 1)
    answer = http.get(f"{live.url}/all.atom")
    assert answer.status_code == 401
    assert "Basic" in answer.headers["www-authenticate"]
    assert http.get(f"{live.url}/opml").status_code == 401
    wrong = http.get(f"{live.url}/all.atom", auth=httpx.BasicAuth(ADMIN, "not it"))
    assert wrong.status_code == 401


def test_login_password_is_not_an_api_password(live: LiveServer) -> None:
    from tests.web.conftest import ADMIN_PASSWORD

    seed_articles(live.store, 1)
    answer = http.get(f"{live.url}/all.atom", auth=httpx.BasicAuth(ADMIN, ADMIN_PASSWORD))
    assert answer.status_code == 401


def test_signed_in_browser_reads_feeds(live: LiveServer, admin_client: httpx.Client) -> None:
    seed_articles(live.store, 2)
    assert len(entries(admin_client.get("/all.rss"))) == 2


def test_conditional_get(live: LiveServer) -> None:
    feed, _ = seed_articles(live.store, 2)
    first = http.get(f"{live.url}/all.atom", auth=BASIC)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    again = http.get(f"{live.url}/all.atom", auth=BASIC, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    since = http.get(f"{live.url}/all.atom", auth=BASIC, headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    other_format = http.get(f"{live.url}/all.rss", auth=BASIC, headers={"If-None-Match": etag})
    assert other_format.status_code == 200
    live.store.save_article(
        Article(url="https://news.example.org/new", title="New", text="New text."),
        feed_id=feed.id,
        fetched_at=datetime.now(UTC) + timedelta(minutes=10),
    )
    changed = http.get(f"{live.url}/all.atom", auth=BASIC, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    assert len(entries(changed)) == 3


def test_starred_view_is_personal(live: LiveServer) -> None:
    _, ids = seed_articles(live.store, 3)
    admin = live.store.find_user(ADMIN)
    live.store.set_starred(admin.id, [ids[1]], True)
    for fmt in FORMATS:
        starred = entries(http.get(f"{live.url}/starred.{fmt}", auth=BASIC))
        assert [e.title for e in starred] == ["Story number 1"]
    assert http.get(f"{live.url}/starred.atom").status_code == 401


def test_opml_lists_the_sources(live: LiveServer) -> None:
    seed_articles(live.store, 1, feed_url="https://world.example/rss", folder="World")
    seed_articles(live.store, 1, feed_url="https://local.example/rss", title="Local")
    answer = http.get(f"{live.url}/opml", auth=BASIC)
    assert answer.status_code == 200
    subs = {s.url: s for s in parse_opml(answer.content)}
    assert set(subs) == {"https://world.example/rss", "https://local.example/rss"}
    assert subs["https://world.example/rss"].folder == "World"
    assert subs["https://local.example/rss"].title == "Local"


def test_public_mode_shows_teasers_and_licensed_full_text(live: LiveServer) -> None:
    live.app.state.settings.public_mode = True
    seed_articles(live.store, 1, make=hostile_article, feed_url="https://closed.example/rss")
    licensed, _ = seed_articles(
        live.store,
        1,
        feed_url="https://open.example/rss",
        make=lambda i: Article(
            url="https://open.example/story",
            title="Licensed story",
            text="Licensed full body.",
            description="Licensed teaser",
            published=datetime.now(UTC) - timedelta(days=2),
        ),
    )
    live.store.update_feed(licensed.id, licensed_full_text=True)
    for fmt in FORMATS:
        by_title = {e.title: e for e in entries(http.get(f"{live.url}/all.{fmt}"))}
        closed = by_title["Hostile story 0 & <friends>"].body
        assert "Full body" not in closed
        assert "Teaser 0" in closed and "https://news.example.org/hostile-0" in closed
        assert "Licensed full body." in by_title["Licensed story"].body
    assert http.get(f"{live.url}/starred.json").status_code == 401
    signed = {e.title: e for e in entries(http.get(f"{live.url}/all.json", auth=BASIC))}
    assert "Full body 0" in signed["Hostile story 0 & <friends>"].body
