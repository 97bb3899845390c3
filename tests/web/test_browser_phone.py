"""The reader's day-to-day comfort in headless Chromium (Debian's, via Playwright), at desktop and
phone sizes: the sidebar of folders and sources with unread counts (a drawer on a phone, by
mouse and by keyboard), filters folded away until asked for, four river items on a phone's first
screen under a one-line header, and each reader's reading settings applied to every page."""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from newsdesk.model import Article
from newsdesk.pipeline.matching import match_step_for
from newsdesk.web.auth.passwords import hash_password
from tests.web.conftest import LiveServer, numbered_article, seed_articles
from tests.web.test_browser import PHONE, Watched, browser, sign_in
from tests.web.test_browser_stories import SIZES

__all__ = ["browser"]

pytestmark = pytest.mark.browser


def seed(live: LiveServer) -> dict[str, int]:
    """Three sources, two in folders, one in none; every article its own story."""
    store = live.store
    made = {}
    for name, folder, topic, count in (
        ("World Desk", "News", "Summit", 8),
        ("City Paper", "Local", "Council", 5),
        ("Gadget Blog", None, "Gadget", 3),
    ):
        url = f"https://{topic.lower()}.example/feed"
        picture = live.url if topic == "Gadget" else None
        feed, _ = seed_articles(store, count, feed_url=url, title=name, folder=folder,
                                make=own(url, topic, picture))  # fmt: skip
        made[name] = feed.id
    with ThreadPoolExecutor(1) as pool:  # matching runs its own event loop where needed
        pool.submit(lambda: match_step_for(store, live.settings).match_pending()).result()
    return made


SYLLABLES = "ka lo mi ne ru ta vo shi be du fa gi ho ju ke la mo ni pe so".split()


def made_up_word(seed: str) -> str:
    """A word no other article shares (the same for the same seed)."""
    h = zlib.crc32(seed.encode())
    return "".join(SYLLABLES[(h >> (5 * n)) % len(SYLLABLES)] for n in range(4))


def own(feed_url: str, topic: str, picture_from: str | None = None) -> Callable[[int], Article]:
    """Articles of a source about its own topic, none like another (so each is a story); with
    a lead picture served by newsdesk itself when `picture_from` is given."""
    start = datetime.now(UTC) - timedelta(minutes=5)

    def make(i: int) -> Article:
        words = " ".join(made_up_word(f"{topic}{i}{k}") for k in range(5))
        article = numbered_article(feed_url, i, start)
        return replace(
            article,
            title=words.capitalize(),
            text=f"{words}. {words}.",
            description=words,
            image=f"{picture_from}/static/default-icon.png" if picture_from else None,
        )

    return make


@pytest.fixture
def feeds(live: LiveServer) -> dict[str, int]:
    return seed(live)


@pytest.fixture(params=sorted(SIZES))
def size(request: pytest.FixtureRequest) -> str:
    return request.param


def reader(browser: Browser, live: LiveServer, size: str) -> Watched:
    return sign_in(browser, live, **SIZES[size])


def sidebar_counts(page: Page) -> dict[str, str]:
    """{source or folder name: its unread count as shown} in the sidebar."""
    return page.eval_on_selector_all(
        ".side-sources a",
        """links => Object.fromEntries(links.map(a => [
            a.querySelector('.side-name').textContent.trim(),
            (a.querySelector('.count') || {textContent: ''}).textContent.replace(' unread', '')
        ]))""",
    )


def open_drawer(page: Page, size: str) -> None:
    if size == "phone":
        page.get_by_role("button", name="Menu", exact=True).click()
    expect(page.locator("#sidebar")).to_be_visible()


@pytest.mark.timeout(300)
def test_the_sidebar_lists_folders_and_sources_with_unread_counts(
    browser: Browser, live: LiveServer, feeds: dict[str, int], size: str
) -> None:
    watched = reader(browser, live, size)
    page = watched.page
    sidebar = page.locator("#sidebar")
    if size == "phone":
        expect(sidebar).to_be_hidden()  # a drawer, closed until asked for
    open_drawer(page, size)
    counts = sidebar_counts(page)
    assert counts == {
        "All articles": "16",
        "Local": "5",
        "City Paper": "5",
        "News": "8",
        "World Desk": "8",
        "Gadget Blog": "3",
    }
    # folders in name order, each followed by its sources; those in no folder last
    assert list(counts) == ["All articles", "Local", "City Paper", "News", "World Desk",
                            "Gadget Blog"]  # fmt: skip
    expect(sidebar.get_by_role("heading", name="No folder")).to_be_visible()

    sidebar.get_by_role("link", name="World Desk").click()
    expect(page).to_have_url(f"{live.url}/?feed={feeds['World Desk']}")
    expect(page.get_by_role("heading", level=1)).to_have_text("World Desk")
    open_drawer(page, size)
    expect(sidebar.locator("a[aria-current=page] .side-name")).to_have_text("World Desk")

    # reading an article takes it off its source's, folder's and the total count
    page.goto(f"/?feed={feeds['World Desk']}&view=articles")
    page.locator(".item .open").first.click()
    expect(page.locator(".story h1")).to_be_visible()
    page.goto("/")
    open_drawer(page, size)
    counts = sidebar_counts(page)
    assert (counts["All articles"], counts["News"], counts["World Desk"]) == ("15", "7", "7")
    assert counts["City Paper"] == "5"
    assert watched.csp_violations() == []
    page.context.close()


@pytest.mark.timeout(300)
def test_the_drawer_on_a_phone_opens_and_closes_by_keyboard(
    browser: Browser, live: LiveServer, feeds: dict[str, int]
) -> None:
    page = reader(browser, live, "phone").page
    menu = page.get_by_role("button", name="Menu", exact=True)
    drawer = page.locator("#sidebar")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_have_attribute("aria-controls", "sidebar")
    # the header is one line: the pages are in the drawer, not under the search box
    header = page.locator("header.topbar").bounding_box()
    assert header is not None and header["height"] <= 60, header
    expect(page.locator("header nav")).to_be_hidden()

    menu.focus()
    page.keyboard.press("Enter")
    expect(drawer).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "true")
    focused = page.evaluate("document.activeElement.closest('#sidebar') !== null")
    assert focused, "focus moves into the drawer"
    # the pages of the header are there, and so are the sources
    expect(drawer.get_by_role("link", name="Settings")).to_be_visible()
    expect(drawer.get_by_role("link", name="City Paper")).to_be_visible()
    page.keyboard.press("Escape")
    expect(drawer).to_be_hidden()
    expect(menu).to_be_focused()
    expect(menu).to_have_attribute("aria-expanded", "false")

    page.keyboard.press("Enter")  # the Menu button has focus: open it again
    expect(drawer).to_be_visible()
    drawer.get_by_role("button", name="Close the menu").click()
    expect(drawer).to_be_hidden()
    expect(menu).to_be_focused()

    menu.click()
    drawer.get_by_role("link", name="Gadget Blog").click()
    expect(page).to_have_url(f"{live.url}/?feed={feeds['Gadget Blog']}")
    expect(drawer).to_be_hidden()  # a new page: the drawer is closed again
    page.context.close()


@pytest.mark.timeout(300)
def test_filters_are_folded_away_until_asked_for(
    browser: Browser, live: LiveServer, feeds: dict[str, int], size: str
) -> None:
    page = reader(browser, live, size).page
    filters = page.locator("form.filters")
    expect(filters).to_be_hidden()
    page.get_by_text("Filters", exact=True).click()
    expect(filters).to_be_visible()
    filters.get_by_label("Folder", exact=True).select_option("Local")
    filters.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"/\?(.*&)?folder=Local"))
    # a river that is filtered says so, and shows the filters that do it
    expect(page.locator("details.filter-box > summary")).to_have_text("Filters (1 on)")
    expect(filters).to_be_visible()
    sources = page.locator(".item .meta .source")
    expect(sources.first).to_be_visible()
    named = sources.all_text_contents()  # each the source's initial and its name
    assert named and all(t.strip().endswith("City Paper") for t in named), named
    page.context.close()


def items_on_first_screen(page: Page) -> int:
    """River items wholly inside the window as it opens (not scrolled)."""
    return page.eval_on_selector_all(
        ".river .item",
        "items => items.filter(i => i.getBoundingClientRect().bottom <= window.innerHeight).length",
    )


@pytest.mark.timeout(300)
def test_a_phone_shows_four_river_items_on_its_first_screen(
    browser: Browser, live: LiveServer, feeds: dict[str, int]
) -> None:
    page = reader(browser, live, "phone").page
    for view in ("stories", "articles"):
        page.goto(f"/?view={view}")
        expect(page.locator(".river .item").first).to_be_visible()
        shown = items_on_first_screen(page)
        page.screenshot(path=f"tests/artifacts/phone-river-{view}.png")
        assert shown >= 4, f"{view}: {shown} items on a 390x844 screen"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{view} scrolls sideways ({width}px)"
    page.screenshot(path="tests/artifacts/phone-river.png")
    page.context.close()


@pytest.mark.timeout(300)
def test_reading_settings_apply_to_every_page_for_their_reader_only(
    browser: Browser, live: LiveServer, feeds: dict[str, int], size: str
) -> None:
    live.store.create_user("bob", hash_password("bob's password 1"))
    watched = reader(browser, live, size)
    page = watched.page
    expect(page.locator("html")).to_have_attribute("data-text", "normal")
    page.goto("/?view=articles")
    expect(page.locator(".item img.thumb")).to_have_count(3)
    expect(page.locator(".item img.thumb").first).to_be_visible()
    base = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")

    page.goto("/settings")
    card = page.locator("section", has=page.get_by_role("heading", name="Reading"))
    card.get_by_label("Text size").select_option("larger")
    card.get_by_label("Page width").select_option("narrow")
    card.get_by_label("Images").select_option("no")
    card.get_by_label("The river shows").select_option("articles")
    card.get_by_role("button", name="Save reading settings").click()
    expect(page.get_by_role("status")).to_have_text("Reading settings saved.")
    expect(card.get_by_label("Text size")).to_have_value("larger")  # the form shows them

    for path in ("/", "/stories", "/settings", "/sources", f"/?feed={feeds['City Paper']}"):
        page.goto(path)
        html = page.locator("html")
        expect(html).to_have_attribute("data-text", "larger")
        expect(html).to_have_attribute("data-images", "no")
        size_now = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
        assert size_now == pytest.approx(base * 1.25 / (1.0625 if size == "phone" else 1), 0.01)
        width = page.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('main')).maxWidth)"
        )
        assert width == pytest.approx(40 * size_now), path  # narrow: 40 of its own rem
    page.goto("/")
    expect(page.locator("section[aria-label=Articles]")).to_be_visible()  # the default view
    expect(page.locator(".item img.thumb").first).to_be_hidden()  # images hidden
    page.context.close()

    # bob reads with the defaults
    ctx = browser.new_context(base_url=live.url, **SIZES[size])
    other = ctx.new_page()
    other.goto("/login")
    other.get_by_label("User name").fill("bob")
    other.get_by_label("Password").fill("bob's password 1")
    other.get_by_role("button", name="Sign in").click()
    expect(other.locator("html")).to_have_attribute("data-text", "normal")
    expect(other.locator("html")).to_have_attribute("data-images", "yes")
    expect(other.locator("section[aria-label=Stories]")).to_be_visible()
    other.goto("/?view=articles")
    expect(other.locator(".item img.thumb").first).to_be_visible()
    ctx.close()
