"""Stories in headless Chromium (Debian's, via Playwright), at desktop and phone sizes: the story
river, its Stories/Articles toggle, a story's page with its copies folded, and marking a story
read from the keyboard. The fixture publisher's three sites are polled into a real store behind
a real server."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.match.test_end_to_end import follow_and_poll, ids_of
from tests.sites.pages.content import WIRE_PARAGRAPHS
from tests.sites.publisher import Publisher
from tests.web.conftest import ADMIN, LiveServer
from tests.web.test_browser import PHONE, Watched, browser, sign_in

__all__ = ["browser"]

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
SIZES = {
    "desktop": {"viewport": DESKTOP},
    "phone": {"viewport": PHONE, "is_mobile": True, "has_touch": True},
}


@pytest.fixture
def polled(live: LiveServer, publisher: Publisher) -> LiveServer:
    # Playwright's sync API owns this thread's event loop; polling runs its own elsewhere
    with ThreadPoolExecutor(1) as pool:
        pool.submit(follow_and_poll, live.store, live.settings, publisher).result()
    return live


@pytest.fixture(params=sorted(SIZES))
def reader(request: pytest.FixtureRequest, browser: Browser, polled: LiveServer) -> Watched:
    """The admin signed in on a desktop-sized window, then on a phone."""
    return sign_in(browser, polled, **SIZES[request.param])


def story_of(live: LiveServer, publisher: Publisher, group: str) -> int:
    articles = live.store.get_articles(ids_of(live.store, publisher.urls_in_group(group)))
    (story_id,) = {a.story_id for a in articles}
    return story_id


def no_sideways_scroll(page: Page) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


@pytest.mark.timeout(300)
def test_the_story_river_and_its_toggle(
    reader: Watched, polled: LiveServer, publisher: Publisher
) -> None:
    watched, page = reader, reader.page
    stories = page.locator("section[aria-label=Stories] .story-item")
    expect(stories).to_have_count(len(polled.store.list_stories(limit=1000)))
    wire = story_of(polled, publisher, "wire")
    item = page.locator(f".story-item[data-story='{wire}']")
    expect(item.locator(".coverage")).to_have_text("3 outlets, 3 articles")
    # its copies are not listed (as in the article river): one report to read
    expect(item.locator(".unread-badge")).to_have_text("1 unread")
    # the lead's first sentences, whole, as many as fit (the second would pass 280 characters)
    assert len(" ".join(WIRE_PARAGRAPHS[:2])) > 280
    expect(item.locator(".teaser")).to_have_text(WIRE_PARAGRAPHS[0])
    expect(item.locator("img.thumb")).to_have_count(0)  # the wire story has no picture
    storm = page.locator(f".story-item[data-story='{story_of(polled, publisher, 'storm-elin')}']")
    expect(storm.locator("img.thumb")).to_be_visible()  # Daily Planet's photograph
    no_sideways_scroll(page)

    page.get_by_role("button", name="Articles").click()
    expect(page.locator("section[aria-label=Articles] .item")).to_have_count(
        len(polled.store.article_ids(originals_only=True))
    )
    expect(page.get_by_role("button", name="Articles")).to_have_attribute("aria-pressed", "true")
    page.reload()  # remembered for this reader, not just this page
    expect(page.locator("section[aria-label=Articles]")).to_be_visible()
    assert polled.store.reading_settings(polled.store.find_user(ADMIN).id).river_view == "articles"
    no_sideways_scroll(page)
    page.get_by_role("button", name="Stories").click()
    expect(stories.first).to_be_visible()
    assert watched.csp_violations() == []


@pytest.mark.timeout(300)
def test_a_story_page_folds_copies_and_shows_its_timeline(
    reader: Watched, polled: LiveServer, publisher: Publisher
) -> None:
    watched, page = reader, reader.page
    wire = story_of(polled, publisher, "wire")
    title = polled.store.get_story(wire).title
    link = page.locator(f".story-item[data-story='{wire}'] a.open")
    if page.viewport_size and page.viewport_size["width"] == PHONE["width"]:
        link.tap()
    else:
        link.click()
    expect(page).to_have_url(f"{polled.url}/stories/{wire}")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator(".coverage-page .coverage")).to_have_text("3 articles from 3 outlets")
    expect(page.locator(".report")).to_have_count(1)
    copies = page.locator(".copies")
    expect(copies.locator("li").first).to_be_hidden()  # folded until asked for
    copies.get_by_text("and 2 copies").click()
    expect(copies.locator("li")).to_have_count(2)
    expect(copies.locator("li").first).to_be_visible()
    expect(page.locator(".first-report")).to_contain_text("First reported by Daily Planet")
    bars = page.locator(".timeline li")
    assert bars.count() > 1
    tallest = max(bars.nth(i).bounding_box()["height"] for i in range(bars.count()))
    assert tallest > 20  # the columns are drawn, not just listed
    no_sideways_scroll(page)

    page.goto(f"/stories/{story_of(polled, publisher, 'storm-elin')}")
    expect(page.locator(".report")).to_have_count(3)
    expect(page.locator(".report .byline").nth(1)).to_have_text("By Jess Armstrong, Paul Reid")
    no_sideways_scroll(page)
    assert watched.csp_violations() == []


def test_mark_a_story_read_from_the_keyboard(
    browser: Browser, polled: LiveServer, publisher: Publisher
) -> None:
    watched: Watched = sign_in(browser, polled, viewport=DESKTOP)
    page = watched.page
    first = page.locator(".story-item").first
    story_id = int(first.get_attribute("data-story"))
    page.keyboard.press("j")
    expect(first).to_have_class("item story-item is-selected")
    page.keyboard.press("m")
    expect(first).to_have_class("item story-item is-selected is-read")
    expect(first.locator(".unread-badge")).to_be_hidden()
    expect(first.get_by_role("button", name="Mark unread")).to_be_visible()
    user = polled.store.find_user(ADMIN)
    members = polled.store.article_ids(story_id=story_id)
    assert members and all(read for read, _ in polled.store.article_states(
        user.id, members).values())  # fmt: skip
    assert len(polled.store.article_states(user.id, members)) == len(members)
    page.keyboard.press("m")  # and the whole story unread again
    expect(first.get_by_role("button", name="Mark story read")).to_be_visible()
    assert not any(read for read, _ in polled.store.article_states(user.id, members).values())
    page.keyboard.press("o")
    expect(page).to_have_url(f"{polled.url}/stories/{story_id}")
    assert watched.csp_violations() == []
