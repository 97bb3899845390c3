"""The reader in headless Chromium (Debian's, via Playwright): what a person does in a browser.

The server is real uvicorn on loopback over a real SQLite file; feeds come from the fixture
publishers. Screenshots of the main pages are written to tests/artifacts/ (ignored by git).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from newsdesk.feeds.opml import write_opml
from newsdesk.model import Article, Subscription
from newsdesk.pipeline.poll import poll
from tests.sites.publisher import Publisher
from tests.web.conftest import ADMIN, ADMIN_PASSWORD, LiveServer, seed_articles
from tests.web.test_reader_sources import wait_for_articles

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    assert executable, "Debian's chromium is needed for the browser tests (make chromium)"
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Watched:
    """A page plus the console errors it produced (a CSP violation shows up there)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.errors: list[str] = []
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def csp_violations(self) -> list[str]:
        return [e for e in self.errors if "Content Security Policy" in e]


def sign_in(browser: Browser, live: LiveServer, **context: object) -> Watched:
    ctx = browser.new_context(base_url=live.url, **context)
    watched = Watched(ctx.new_page())
    page = watched.page
    page.goto("/")
    expect(page).to_have_url(f"{live.url}/login?next=%2F")
    page.get_by_label("User name").fill(ADMIN)
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("All articles")
    return watched


@pytest.mark.timeout(300)
def test_sign_in_add_a_feed_and_read_an_article(
    browser: Browser, live: LiveServer, publisher: Publisher
):
    watched = sign_in(browser, live)
    page = watched.page
    page.get_by_role("link", name="Sources").click()
    page.get_by_label("Feed or site address").fill(publisher.home_url("daily-planet"))
    page.get_by_label("Folder (optional)").fill("World")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Its articles are on the way.")
    feed = live.store.list_feeds()[0]
    wait_for_articles(live.store, feed.id)

    expected = publisher.expected(publisher.seed_url)
    page.goto("/?folder=World&view=articles")  # the river by article: the story's a click more
    page.get_by_role("link", name=expected.title).click()
    expect(page.locator("h1#story-title")).to_have_text(expected.title)
    expect(page.locator(".story .body p").first).to_be_visible()
    expect(page.get_by_role("link", name="Read the original at")).to_have_attribute(
        "href", publisher.seed_url
    )
    assert watched.csp_violations() == []


def test_search_from_the_keyboard_and_star(browser: Browser, live: LiveServer):
    def make(i: int) -> Article:
        topic = ["glacier melt in the Alps", "city council budget", "glacier tourism boom"][i]
        return Article(
            url=f"https://news.example.org/{i}", title=topic.capitalize(), text=f"About {topic}."
        )

    seed_articles(live.store, 3, make=make)
    watched = sign_in(browser, live)
    page = watched.page
    page.keyboard.press("/")
    expect(page.locator("#q-top")).to_be_focused()
    page.keyboard.type("glacier")
    page.keyboard.press("Enter")
    expect(page.locator(".item")).to_have_count(2)
    expect(page.locator(".snippet mark").first).to_have_text("glacier", ignore_case=True)
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("j")
    first = page.locator(".item").first
    expect(first).to_have_class("item is-selected")
    page.keyboard.press("s")
    expect(first.locator("form[data-kind=star] button")).to_have_attribute("aria-pressed", "true")
    article_id = int(first.get_attribute("data-id"))
    user = live.store.find_user(ADMIN)
    assert live.store.article_states(user.id, [article_id])[article_id][1] is True
    page.goto("/?starred=1")
    expect(page.locator(".item")).to_have_count(1)
    assert watched.csp_violations() == []


def test_mark_read_with_the_keyboard_and_open_help(browser: Browser, live: LiveServer):
    _, ids = seed_articles(live.store, 4)
    watched = sign_in(browser, live)
    page = watched.page
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    page.keyboard.press("j")
    second = page.locator(".item").nth(1)
    expect(second).to_have_class("item is-selected")
    page.keyboard.press("m")
    expect(second).to_have_class("item is-selected is-read")
    user = live.store.find_user(ADMIN)
    assert live.store.article_states(user.id, [ids[1]])[ids[1]][0] is True
    page.keyboard.press("m")  # and back to unread
    expect(second).to_have_class("item is-selected")
    page.keyboard.press("?")
    expect(page.get_by_role("dialog")).to_be_visible()
    expect(page.get_by_role("dialog")).to_contain_text("next / previous article")
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    page.keyboard.press("o")
    expect(page.locator("h1#story-title")).to_have_text("Story number 1")
    assert watched.csp_violations() == []


def test_import_opml(browser: Browser, live: LiveServer, publisher: Publisher, tmp_path: Path):
    opml = tmp_path / "subscriptions.opml"
    opml.write_text(
        write_opml(
            [
                Subscription(publisher.feed_url("harbour-gazette"), title="Harbour Gazette"),
                Subscription(
                    publisher.feed_url("tokyo-shimbun"), title="Tokyo Shimbun", folder="Asia"
                ),
            ]
        )
    )
    watched = sign_in(browser, live)
    page = watched.page
    page.goto("/sources")
    page.get_by_label("Import a list of feeds (OPML file)").set_input_files(str(opml))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Imported 2 new sources.")
    expect(page.get_by_role("heading", name="Harbour Gazette")).to_be_visible()
    expect(page.get_by_role("heading", name="Tokyo Shimbun Asia")).to_be_visible()


def test_phone_sized_viewport(browser: Browser, live: LiveServer):
    seed_articles(live.store, 8)
    watched = sign_in(browser, live, viewport=PHONE, is_mobile=True, has_touch=True)
    page = watched.page
    for path in ("/", "/sources", "/settings", "/search?q=story"):
        page.goto(path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways on a phone by {overflow}px"
    page.goto("/")
    box = page.locator("#q-top").bounding_box()
    header = page.locator("header.topbar").bounding_box()
    # one line of header: Menu, the name and a search box that takes the rest of the row
    assert box and box["width"] > PHONE["width"] * 0.35
    assert header and header["height"] <= 60
    page.locator(".item a.open").first.tap()
    expect(page.locator("h1#story-title")).to_have_text("Story number 0")


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_screenshots_of_the_main_pages(browser: Browser, live: LiveServer, publisher: Publisher):
    """Writes tests/artifacts/*.png (used by docs/web.md and the README)."""
    for site in ("daily-planet", "northern-courier", "harbour-gazette", "tokyo-shimbun"):
        live.store.add_feed(publisher.feed_url(site), title=site.replace("-", " ").title())
    # Playwright's sync API owns this thread's event loop; the poller runs its own elsewhere
    with ThreadPoolExecutor(1) as pool:
        report = pool.submit(poll, live.store, live.settings, None, True).result()
    assert report.new_articles > 10, report.errors
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    expected = publisher.expected(publisher.seed_url)
    shots: dict[str, Path] = {}
    for scheme in ("light", "dark"):
        watched = sign_in(
            browser, live, color_scheme=scheme, viewport={"width": 1280, "height": 900}
        )
        page = watched.page
        pages = {
            "river": "/",
            "stories": "/stories",
            "search": "/search?q=storm",
            "sources": "/sources",
        }
        for name, path in pages.items():
            page.goto(path)
            shots[f"{name}-{scheme}"] = ARTIFACTS / f"{name}-{scheme}.png"
            page.screenshot(path=shots[f"{name}-{scheme}"], full_page=True)
        page.goto("/?view=articles")
        page.get_by_role("link", name=expected.title).first.click()
        expect(page.locator("h1#story-title")).to_have_text(expected.title)
        shots[f"article-{scheme}"] = ARTIFACTS / f"article-{scheme}.png"
        page.screenshot(path=shots[f"article-{scheme}"], full_page=True)
        assert watched.csp_violations() == []
        page.context.close()
    phone = sign_in(browser, live, viewport=PHONE, is_mobile=True, has_touch=True).page
    shots["river-phone"] = ARTIFACTS / "river-phone.png"
    phone.screenshot(path=shots["river-phone"])
    phone.context.close()
    for path in shots.values():
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", path


def test_settings_list_the_signed_in_browsers_and_end_them(browser: Browser, live: LiveServer):
    watched = sign_in(browser, live)
    other = sign_in(browser, live, user_agent="Other Browser 1.0")
    page = watched.page
    page.goto("/settings")
    table = page.get_by_role("table", name="Where you are signed in")
    expect(table.get_by_role("row")).to_have_count(3)  # the header and two browsers
    expect(table.get_by_role("row", name="this browser")).to_contain_text("127.0.0.1")
    other_row = table.get_by_role("row").filter(has_text="Other Browser 1.0")
    expect(other_row).to_contain_text("just now")
    other_row.get_by_role("button", name="End").click()
    expect(page.get_by_role("status")).to_have_text("Session ended.")
    expect(table.get_by_role("row")).to_have_count(2)
    other.page.goto("/settings")
    expect(other.page).to_have_url(f"{live.url}/login?next=%2Fsettings")
    table.get_by_role("row", name="this browser").get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{live.url}/login")
    page.goto("/")
    expect(page).to_have_url(f"{live.url}/login?next=%2F")
    assert watched.csp_violations() == []
