"""Public mode: anonymous visitors read headlines, teasers and links; full text only if licensed."""

from __future__ import annotations

import httpx
import pytest

from newsdesk.config import Settings
from newsdesk.model import Article
from tests.web.conftest import LiveServer, seed_articles

BLOCK = (
    '<p>Supported by <a href="https://sponsor.example/">Sponsor</a></p><script>alert(1)</script>'
)


@pytest.fixture
def web_settings(web_settings: Settings) -> Settings:
    return web_settings.model_copy(update={"public_mode": True, "public_block_html": BLOCK})


def article(i: int, host: str) -> Article:
    return Article(
        url=f"https://{host}/story-{i}",
        title=f"{host} story {i}",
        description=f"Teaser {i} from {host}",
        text=f"Full body text {i} that only licensed sources may show.",
    )


def test_anonymous_river_has_teasers_links_and_a_marked_operator_block(
    live: LiveServer, anon: httpx.Client
):
    seed_articles(live.store, 12, make=lambda i: article(i, "open.example"))
    page = anon.get("/")
    assert page.status_code == 200
    html = page.text
    assert "open.example story 0" in html and "Teaser 0 from open.example" in html
    assert 'href="https://open.example/story-0"' in html  # the publisher's own page
    assert "From the operator of this site, not from a publisher" in html
    assert html.count('class="operator"') == 2  # after items 5 and 10 of 12
    assert 'href="https://sponsor.example/"' in html
    assert "alert(1)" not in html
    assert "Mark read" not in html and "Mark all as read" not in html
    assert "Sign in" in html


def test_full_text_only_for_licensed_sources(live: LiveServer, anon: httpx.Client):
    free, free_ids = seed_articles(live.store, 1, make=lambda i: article(i, "open.example"))
    paid, paid_ids = seed_articles(
        live.store,
        1,
        feed_url="https://licensed.example/feed",
        title="Licensed",
        make=lambda i: article(i, "licensed.example"),
    )
    live.store.update_feed(paid.id, licensed_full_text=True)
    teaser_only = anon.get(f"/articles/{free_ids[0]}").text
    assert "Teaser 0 from open.example" in teaser_only
    assert "Full body text" not in teaser_only
    assert "Read the full story at" in teaser_only
    full = anon.get(f"/articles/{paid_ids[0]}").text
    assert "Full body text 0 that only licensed sources may show." in full
    assert "Read the original at" in full


def test_search_is_public_but_changes_are_not(live: LiveServer, anon: httpx.Client):
    _, ids = seed_articles(live.store, 3, make=lambda i: article(i, "open.example"))
    found = anon.get("/search", params={"q": "body"})
    assert found.status_code == 200 and "<mark>" in found.text
    assert "open.example story 1" in found.text
    token = anon.get("/").text.split('name="csrf-token" content="')[1].split('"')[0]
    star = anon.post(f"/articles/{ids[0]}/star", data={"value": "1", "csrf": token})
    assert star.status_code == 401
    assert "sign in first" in star.text
    assert anon.get("/sources").status_code == 303
    assert anon.get("/?starred=1").status_code == 200  # the filter is ignored, not an error


def test_signed_in_users_still_see_everything(live: LiveServer, admin_client: httpx.Client):
    _, ids = seed_articles(live.store, 6, make=lambda i: article(i, "open.example"))
    html = admin_client.get(f"/articles/{ids[0]}").text
    assert "Full body text 0" in html
    assert "From the operator" not in admin_client.get("/").text
