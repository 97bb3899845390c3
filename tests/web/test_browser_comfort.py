"""The reader's comfort in headless Chromium: forms that come back to their page and keep what
was typed, the settings' tokens and addresses, "Mark all as read" with undo, times in the
reader's zone, and the keys on an article."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from newsdesk.model import Article
from tests.web.conftest import LiveServer, seed_articles
from tests.web.test_browser import PHONE, browser, sign_in  # noqa: F401 (browser: a fixture)
from tests.web.test_browser_stories import polled  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser


def inside(page: Page, inner: str, outer: str) -> bool:
    """Whether the box of `inner` lies within the box of the `outer` around it."""
    return page.eval_on_selector(
        inner,
        f"""node => {{
            const a = node.getBoundingClientRect();
            const b = node.closest("{outer}").getBoundingClientRect();
            return a.left >= b.left - 0.5 && a.right <= b.right + 0.5;
        }}""",
    )


# where a line of an element's text breaks: the characters either side of each break
LINE_BREAKS = """node => {
    const text = node.textContent, range = document.createRange(), breaks = [];
    let walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT), last = null, seen = "";
    while (walker.nextNode()) {
        const t = walker.currentNode;
        for (let i = 0; i < t.length; i++) {
            range.setStart(t, i); range.setEnd(t, i + 1);
            const top = range.getClientRects()[0]?.top;
            if (last !== null && top !== undefined && top > last + 2) {
                breaks.push(seen.slice(-1) + "|" + t.data[i]);
            }
            if (top !== undefined) last = top;
            seen += t.data[i];
        }
    }
    return breaks;
}"""


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_settings_tokens_copy_and_stay_in_their_card(
    browser: Browser,  # noqa: F811
    live: LiveServer,
    size: str,
):
    options = {"viewport": PHONE, "is_mobile": True} if size == "phone" else {}
    watched = sign_in(browser, live, **options)
    page = watched.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/settings")
    page.get_by_label("Name (what it is for)").fill("a script with a rather long name indeed")
    page.get_by_role("button", name="Create token").click()
    expect(page).to_have_url(f"{live.url}/settings")  # not /settings/tokens
    token = page.locator("#new-token").inner_text()
    assert token.startswith("nd_")
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == token
    revoke = page.get_by_role("button", name="Revoke token a script with a rather long name")
    expect(revoke).to_be_visible()
    assert inside(page, ".tokens button", ".card")
    for address in page.locator("code.addr").all():
        breaks = address.evaluate(LINE_BREAKS)
        assert all(pair.startswith("/") or " " in pair for pair in breaks), breaks
    page.reload()  # the page again, not the form: no second token
    expect(page.locator("#new-token")).to_have_count(0)
    expect(page.locator(".tokens tbody tr")).to_have_count(1)
    assert watched.csp_violations() == []


def test_sources_forms_keep_the_address_and_say_plainly_what_went_wrong(
    browser: Browser,  # noqa: F811
    live: LiveServer,
    tmp_path: Path,
):
    page = sign_in(browser, live).page
    page.goto("/sources")
    typed = "http://127.0.0.1:9/nothing-here.xml"
    page.get_by_label("Feed or site address").fill(typed)
    page.get_by_label("Folder (optional)").fill("Later")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(f"Could not add {typed}")
    expect(page.get_by_label("Feed or site address")).to_have_value(typed)
    expect(page.get_by_label("Folder (optional)")).to_have_value("Later")
    expect(page).to_have_url(f"{live.url}/sources")

    bad = tmp_path / "notes.txt"
    bad.write_text("these are my notes, not a list of feeds <")
    page.get_by_label("Import a list of feeds (OPML file)").set_input_files(str(bad))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text(
        "Could not import notes.txt: it is not an OPML file (the list of feeds other readers "
        "export)."
    )
    expect(page).to_have_url(f"{live.url}/sources")  # not /sources/import


def test_mark_all_as_read_and_undo_in_the_browser(browser: Browser, live: LiveServer):  # noqa: F811
    seed_articles(live.store, 3)
    page = sign_in(browser, live).page
    page.goto("/?unread=1")
    expect(page.locator(".item")).to_have_count(3)
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_role("status")).to_contain_text("Marked 3 articles as read.")
    expect(page.locator(".item")).to_have_count(0)
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_role("status")).to_have_text("3 articles unread again.")
    expect(page.locator(".item")).to_have_count(3)
    expect(page).to_have_url(f"{live.url}/?unread=1&unmarked=3")


def test_times_are_in_the_readers_zone_with_the_publishers_on_hover(
    browser: Browser,  # noqa: F811
    live: LiveServer,
):
    new_york = timezone(timedelta(hours=-5))
    published = datetime(2026, 1, 5, 10, 0, tzinfo=new_york)  # 6 January, 00:00 in Tokyo

    def make(i: int) -> Article:
        return Article(url="https://news.example.org/old", title="An older story",
                       published=published, text="Body.")  # fmt: skip

    _, ids = seed_articles(live.store, 1, make=make)
    page = sign_in(browser, live, timezone_id="Asia/Tokyo").page
    page.goto(f"/articles/{ids[0]}")
    when = page.locator(".story .meta time")
    expect(when).to_have_text("Tuesday, 6 January 2026 at 00:00 GMT+9")
    expect(when).to_have_attribute("title", "Monday 5 January 2026, 10:00 UTC-05:00")
    page.goto("/")
    listed = page.locator(".item time").first
    expect(listed).to_have_text("6 Jan 2026")  # a date, as the reader's calendar has it
    expect(listed).to_have_attribute("title", "Monday 5 January 2026, 10:00 UTC-05:00")


def test_keys_on_an_article_go_on_and_back_to_the_list(browser: Browser, live: LiveServer):  # noqa: F811
    seed_articles(live.store, 3)
    page = sign_in(browser, live).page
    page.goto("/?folder=&unread=1")
    page.keyboard.press("j")
    page.keyboard.press("o")
    expect(page.locator("h1#story-title")).to_have_text("Story number 0")
    page.keyboard.press("j")
    expect(page.locator("h1#story-title")).to_have_text("Story number 1")
    page.keyboard.press("j")
    expect(page.locator("h1#story-title")).to_have_text("Story number 2")
    page.keyboard.press("j")  # the last: it stays
    expect(page.locator("h1#story-title")).to_have_text("Story number 2")
    page.keyboard.press("k")
    expect(page.locator("h1#story-title")).to_have_text("Story number 1")
    page.keyboard.press("s")
    expect(page.locator(".story form[data-kind=star] button")).to_have_attribute(
        "aria-pressed", "true"
    )
    page.keyboard.press("u")
    expect(page).to_have_url(f"{live.url}/?folder=&unread=1")
    page.keyboard.press("?")
    expect(page.get_by_role("dialog")).to_contain_text("from an article back to the list")


def test_keys_on_a_story_page_go_on_through_the_story_river(
    browser: Browser,  # noqa: F811
    polled: LiveServer,  # noqa: F811
):
    page = sign_in(browser, polled).page
    links = page.locator(".story-item a.open")
    first, second = links.nth(0).get_attribute("href"), links.nth(1).get_attribute("href")
    page.keyboard.press("j")
    page.keyboard.press("o")
    expect(page).to_have_url(f"{polled.url}{first}")
    page.keyboard.press("j")
    expect(page).to_have_url(f"{polled.url}{second}")
    page.keyboard.press("k")
    expect(page).to_have_url(f"{polled.url}{first}")
    page.keyboard.press("u")
    expect(page).to_have_url(f"{polled.url}/")


def test_a_failing_source_in_the_browser(browser: Browser, live: LiveServer):  # noqa: F811
    from newsdesk.times import utcnow

    feed, _ = live.store.add_feed("https://down.example/feed.xml", title="Down Daily")
    now = utcnow()
    live.store.record_fetch(feed.id, fetched_at=now - timedelta(hours=1),
                            next_fetch_at=now - timedelta(minutes=5),  # due: tried any moment
                            error="HTTP 503 Service Unavailable", error_count=3)  # fmt: skip
    page = sign_in(browser, live).page
    page.goto(f"/?feed={feed.id}")
    expect(page.locator(".source-state")).to_have_text(
        "This source could not be read: HTTP 503 Service Unavailable. Next try any moment now."
    )
    expect(page.locator(".empty")).to_have_text("No articles from this source yet.")
