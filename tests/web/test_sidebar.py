"""The sidebar over HTTP: folders and sources with the reader's own unread counts on every page a
reader sees, none on the sign-in page of a private reader, names without counts for a visitor
of a public one."""

from __future__ import annotations

import re

import httpx
import pytest

from newsdesk.config import Settings
from newsdesk.web.auth.passwords import hash_password
from tests.web.conftest import LiveServer, seed_articles, sign_in

COUNT = re.compile(
    r'<span class="side-name">([^<]+)</span> <span class="count" title="unread">(\d+)'
)


def counts(html: str) -> dict[str, int]:
    sidebar = html.split('id="sidebar"', 1)[1].split("</aside>", 1)[0]
    return {name: int(n) for name, n in COUNT.findall(sidebar)}


def test_each_reader_sees_their_own_unread_counts_on_every_page(live: LiveServer, admin_client):
    world, world_ids = seed_articles(live.store, 4, title="World Desk", folder="News")
    seed_articles(live.store, 2, feed_url="https://b.example/feed", title="Blog")
    live.store.create_user("bob", hash_password("bob's password 1"))
    for path in ("/", "/stories", "/sources", "/settings", f"/articles/{world_ids[0]}"):
        assert 'id="sidebar"' in admin_client.get(path).text, path
    # opening an article read it: one fewer for its source, its folder and in all
    assert counts(admin_client.get("/").text) == {
        "All articles": 5,
        "News": 3,
        "World Desk": 3,
        "Blog": 2,
    }
    html = admin_client.get(f"/?feed={world.id}").text
    assert re.search(r'href="/\?feed=\d+" aria-current="page">.*World Desk', html)
    with httpx.Client(base_url=live.url, timeout=30) as bob:
        sign_in(bob, "bob", "bob's password 1")
        assert counts(bob.get("/").text)["All articles"] == 6  # bob read nothing


def test_the_sign_in_page_of_a_private_reader_shows_no_sources(live: LiveServer, anon):
    seed_articles(live.store, 2, title="World Desk")
    page = anon.get("/login").text
    assert 'id="sidebar"' not in page and "World Desk" not in page
    assert 'data-action="drawer"' not in page  # no Menu button without a drawer


class TestPublicMode:
    @pytest.fixture
    def web_settings(self, web_settings: Settings) -> Settings:
        return web_settings.model_copy(update={"public_mode": True})

    def test_a_visitor_sees_the_sources_without_counts(self, live: LiveServer, anon):
        seed_articles(live.store, 3, title="World Desk", folder="News")
        html = anon.get("/").text
        sidebar = html.split('id="sidebar"', 1)[1].split("</aside>", 1)[0]
        assert "World Desk" in sidebar and "News" in sidebar
        assert counts(html) == {}  # nothing is unread for nobody
