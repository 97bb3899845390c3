"""The reader's day-to-day comfort over a real server and store: "Mark all as read" and its
undo, the truth about a failing or paused source, forms that come back to their page."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import httpx

from newsdesk.model import Article
from newsdesk.times import utcnow
from tests.web.conftest import ADMIN, LiveServer, SignedInClient, seed_articles


def unread_ids(live: LiveServer, ids: list[int]) -> list[int]:
    user = live.store.find_user(ADMIN)
    states = live.store.article_states(user.id, ids)
    return [i for i in ids if not states.get(i, (False, False))[0]]


def form_fields(html: str, action: str) -> dict[str, str]:
    form = re.search(rf'<form action="{re.escape(action)}".*?</form>', html, re.S)
    assert form, f"no form to {action}"
    return {
        name: unescape(value)
        for name, value in re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(0))
    }


def test_mark_all_as_read_can_be_undone(live: LiveServer, admin_client: SignedInClient):
    _, ids = seed_articles(live.store, 5)
    user = live.store.find_user(ADMIN)
    live.store.set_read(user.id, [ids[4]], True)  # read before: stays read after the undo
    river = admin_client.get("/?unread=1").text
    marked = admin_client.post("/mark-all-read", data=form_fields(river, "/mark-all-read"))
    assert marked.status_code == 303
    assert unread_ids(live, ids) == []
    back = admin_client.get(marked.headers["location"])
    assert back.status_code == 200
    assert "Marked 4 articles as read." in back.text
    undo = form_fields(back.text, "/mark-all-read/undo")
    assert undo["next"] == "/?unread=1"  # the page, without the notice
    done = admin_client.post("/mark-all-read/undo", data=undo)
    assert done.status_code == 303
    assert unread_ids(live, ids) == ids[:4]
    assert "4 articles unread again." in admin_client.get(done.headers["location"]).text


def test_undo_needs_the_form_token_and_touches_only_its_own_marks(
    live: LiveServer, admin_client: SignedInClient
):
    _, ids = seed_articles(live.store, 2)
    river = admin_client.get("/").text
    marked = admin_client.post("/mark-all-read", data=form_fields(river, "/mark-all-read"))
    undo = form_fields(admin_client.get(marked.headers["location"]).text, "/mark-all-read/undo")
    without_token = {k: v for k, v in undo.items() if k != "csrf"}
    assert admin_client.post("/mark-all-read/undo", data=without_token).status_code == 403
    user = live.store.find_user(ADMIN)
    live.store.set_read(user.id, [ids[0]], False)
    live.store.set_read(user.id, [ids[0]], True)  # read again since: a later time
    admin_client.post("/mark-all-read/undo", data=undo)
    assert unread_ids(live, ids) == [ids[1]]
    bad = admin_client.post("/mark-all-read/undo", data={**undo, "at": "yesterday"})
    assert bad.status_code == 400
    assert "Nothing to undo" in bad.text


def test_a_failing_source_says_its_error_and_its_next_try(
    live: LiveServer, admin_client: httpx.Client
):
    feed, _ = live.store.add_feed("https://down.example/feed.xml", title="Down Daily")
    now = utcnow()
    live.store.record_fetch(feed.id, fetched_at=now, next_fetch_at=now + timedelta(minutes=30),
                            error="HTTP 503 Service Unavailable", error_count=2)  # fmt: skip
    page = admin_client.get(f"/?feed={feed.id}").text
    assert "No articles here yet" not in page and "Add a source" not in page
    assert "This source could not be read: HTTP 503 Service Unavailable." in page
    assert re.search(r"Next try <time [^>]+>in (29|30) min</time>\.", page)
    assert "No articles from this source yet." in page


def test_a_paused_source_says_paused(live: LiveServer, admin_client: httpx.Client):
    feed, _ = seed_articles(live.store, 1)
    live.store.update_feed(feed.id, paused=True)
    page = admin_client.get(f"/?feed={feed.id}").text
    assert "This source is paused" in page and "Story number 0" in page
    sources = admin_client.get("/sources").text
    assert "<dt>Next fetch</dt><dd>paused</dd>" in sources


def test_teasers_end_at_a_word_with_an_ellipsis(live: LiveServer, admin_client: httpx.Client):
    body = "Ships returned to the harbour on Tuesday after the storm had passed. " * 3
    long_words = "The council met again to discuss the budget for the coming year " * 8
    teasers = {
        0: ("Ships returned to the harb", body),  # the publisher cut mid-word
        1: ("Rescue crews worked through the night [...]", "Rescue crews worked."),
        2: ("A whole sentence stays as it is.", "A whole sentence stays as it is. More."),
        3: (None, long_words),  # no description: the body, cut near 280 characters
    }

    def make(i: int) -> Article:
        description, text = teasers[i]
        return Article(url=f"https://news.example.org/t{i}", title=f"Teaser {i}",
                       description=description, text=text)  # fmt: skip

    seed_articles(live.store, 4, make=make)
    html = admin_client.get("/").text
    shown = dict(re.findall(r'id="h\d+"><a class="open" href="/articles/\d+">Teaser (\d)</a>'
                            r'.*?<p class="teaser">([^<]*)</p>', html, re.S))  # fmt: skip
    assert shown["0"] == "Ships returned to the…"
    assert shown["1"] == "Rescue crews worked through the night…"
    assert shown["2"] == "A whole sentence stays as it is."
    assert shown["3"].endswith(" again…") and len(shown["3"]) <= 281  # a whole word
    assert long_words.startswith(shown["3"][:-1])
