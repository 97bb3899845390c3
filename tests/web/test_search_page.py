"""The search page and the JSON API's search find what people type: word forms in each
article's language, prefixes and phrases, a hint when nothing matches, and a source filter
without unsubscribed feeds."""

from __future__ import annotations

import re
from html import unescape

import httpx

from newsdesk.model import Article
from tests.web.conftest import LiveServer, seed_articles
from tests.web.test_api_v1 import make_token

ITEM_TITLE = re.compile(r'<a class="open" href="/articles/\d+">([^<]*)</a>')
ARTICLES = {
    "pirates": ("Pirates seize a tanker", "The pirates' ship was seen off the coast.", "en"),
    "piraten": ("Piraten kapern Tanker", "Die Häuser am Hafen wurden geräumt.", "de"),
    "bank": ("Bank raises rates", "The central bank raised its interest rate.", "en"),
}


def seed(live: LiveServer) -> None:
    names = list(ARTICLES)

    def make(i: int) -> Article:
        title, text, language = ARTICLES[names[i]]
        return Article(url=f"https://news.example.org/{names[i]}", title=title, text=text,
                       language=language)  # fmt: skip

    seed_articles(live.store, len(names), make=make)


def titles(html: str) -> set[str]:
    return {unescape(title) for title in ITEM_TITLE.findall(html)}


def test_search_page_finds_word_forms_prefixes_and_phrases(
    live: LiveServer, admin_client: httpx.Client
) -> None:
    seed(live)

    def search(query: str, **more: str) -> str:
        page = admin_client.get("/search", params={"q": query, **more})
        assert page.status_code == 200, page.text[:500]
        return page.text

    pirates = {"Pirates seize a tanker", "Piraten kapern Tanker"}
    assert titles(search("pirate")) == pirates
    assert "The <mark>pirates</mark>" in search("pirate")
    assert titles(search("pirat*")) == pirates
    assert titles(search('"pirate ship"')) == {"Pirates seize a tanker"}
    assert titles(search("Haus")) == {"Piraten kapern Tanker"}
    assert titles(search("rate", lang="en")) == {"Bank raises rates"}
    nothing = search("piratical galleons")
    assert titles(nothing) == set()
    assert "Nothing matches" in nothing and "Try fewer words, or a prefix like " in nothing
    narrowed = search("pirates", lang="fr")
    assert "all sources, dates and languages" in narrowed


def test_search_filter_lists_only_subscribed_sources(
    live: LiveServer, admin_client: httpx.Client
) -> None:
    kept, _ = seed_articles(live.store, 1, feed_url="https://kept.example/rss", title="Kept")
    gone, _ = seed_articles(live.store, 1, feed_url="https://gone.example/rss", title="Gone")
    live.store.delete_feed(gone.id)
    page = admin_client.get("/search", params={"q": "story"})
    assert page.status_code == 200
    select = re.search(r'<select id="s-feed" name="feed">(.*?)</select>', page.text, re.S)
    assert select is not None
    options = re.findall(r'<option value="(\d*)"[^>]*>([^<]*)</option>', select.group(1))
    assert (str(kept.id), "Kept") in options
    assert all(value != str(gone.id) for value, _ in options) and "Gone" not in select.group(1)


def test_api_search_finds_word_forms_and_gives_a_hint(
    live: LiveServer, admin_client: httpx.Client
) -> None:
    seed(live)
    _, token = make_token(admin_client)
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=f"{live.url}/api/v1", headers=headers, timeout=60) as api:
        found = api.get("/search", params={"q": "pirate"}).json()
        assert {hit["article"]["title"] for hit in found["items"]} == {
            "Pirates seize a tanker",
            "Piraten kapern Tanker",
        }
        assert found["hint"] is None
        empty = api.get("/search", params={"q": "piratical galleons"}).json()
        assert empty["items"] == [] and "a prefix like" in empty["hint"]
