"""Every page of the reader and every form on it, as they come, in headless Chromium: no 4xx
or 5xx anywhere, signed in and signed out. The pages are found by following the reader's own
links (one page of each shape), so a page added later is walked too."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import Browser, Page

from newsdesk.config import Settings
from newsdesk.model import Article
from newsdesk.pipeline.matching import MatchStep
from newsdesk.store import Store
from newsdesk.times import utcnow
from newsdesk.web.app import create_app
from tests.match.test_stories import PERU_1, PERU_2
from tests.web.conftest import LiveServer, ThreadedServer, seed_articles
from tests.web.test_browser import browser, sign_in  # noqa: F401 (browser: a fixture)

pytestmark = pytest.mark.browser

# forms that end the session or remove something: walked by their own tests, not here
LEAVING = re.compile(r"/(logout|delete|end|end-others|sign-out)$")
NOT_PAGES = re.compile(r"\.(atom|rss|json|opml|xml)$|^/opml$|^/api/|^/static/")
MAX_PAGES = 40


def shape(url: str) -> str:
    """One page of each shape is walked: /articles/3 and /articles/4 are one shape."""
    parts = urlsplit(url)
    keys = sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(keys)


class Walk:
    def __init__(self, page: Page, origin: str) -> None:
        self.page = page
        self.origin = origin
        self.failures: list[str] = []
        self.submitted = 0
        page.on("response", self.check)
        page.on("dialog", lambda dialog: dialog.accept())

    def check(self, response) -> None:  # noqa: ANN001 (Playwright's Response)
        if response.url.startswith(self.origin) and response.status >= 400:
            self.failures.append(f"{response.status} {response.request.method} {response.url}")

    def links(self) -> list[str]:
        hrefs = self.page.eval_on_selector_all("a[href]", "nodes => nodes.map(n => n.href)")
        found = []
        for href in hrefs:
            if not href.startswith(self.origin):
                continue
            path = href[len(self.origin) :].split("#")[0]
            if path and not NOT_PAGES.search(urlsplit(path).path):
                found.append(path)
        return found

    def here(self) -> str:
        return self.page.url[len(self.origin) :]

    def pages(self, start: str) -> Iterator[str]:
        """Each shape of page once, from the links of those before (and where forms land)."""
        self.queue, seen = [start], set()
        while self.queue and len(seen) < MAX_PAGES:
            url = self.queue.pop(0)
            if shape(url) in seen:
                continue
            seen.add(shape(url))
            self.page.goto(url)
            self.queue += self.links()
            yield self.here()

    def everything(self, start: str = "/") -> set[str]:
        """Walk every page and its forms; the paths walked, ids as N."""
        paths = set()
        for url in self.pages(start):  # the pages its forms land on are walked too
            paths.add(re.sub(r"\d+", "N", urlsplit(url).path))
            self.forms(url)
        return paths

    def forms(self, url: str) -> None:
        """Every form on the page: with its values as they come, then each choice of each of
        its lists and each of its boxes ticked or cleared."""
        self.page.goto(url)
        plans = self.page.eval_on_selector_all(
            "form",
            """forms => forms.map(f => ({
                action: f.getAttribute("action") || "",
                dialog: f.getAttribute("method") === "dialog",
                selects: Array.from(f.querySelectorAll("select"),
                                    s => Array.from(s.options, o => o.value)),
                boxes: f.querySelectorAll("input[type=checkbox]").length,
            }))""",
        )
        seen: dict[str, int] = {}
        for plan in plans:
            # a form is known by its action and its place among those with that action: the
            # page may list fewer items after a form (all read), so not by its place alone
            key = (plan["action"], seen.get(plan["action"], 0))
            seen[plan["action"]] = key[1] + 1
            if LEAVING.search(urlsplit(plan["action"]).path) or plan["dialog"]:
                continue
            self.submit(url, key, lambda form: None)
            for number, values in enumerate(plan["selects"]):
                for value in values:
                    self.submit(url, key, lambda f, n=number, v=value: f.locator(
                        "select").nth(n).select_option(v))  # fmt: skip
            for box in range(plan["boxes"]):
                self.submit(url, key, lambda f, b=box: f.locator(
                    "input[type=checkbox]").nth(b).click())  # fmt: skip

    def submit(self, url: str, key: tuple[str, int], change) -> None:  # noqa: ANN001
        self.page.goto(url)
        action, place = key
        same = self.page.locator(f'form[action="{action}"]' if action else "form:not([action])")
        if same.count() <= place:
            return  # gone since (the item it belonged to left the list)
        form = same.nth(place)
        if not form.is_visible():  # folded away (an Edit under <details>): open it first
            form.evaluate("f => { const d = f.closest('details'); if (d) d.open = true; }")
        change(form)
        button = form.locator("button[type=submit], button:not([type]), input[type=submit]")
        before = self.page.url
        if button.count():
            button.first.click()
        else:  # a search box sends itself with Enter
            form.locator("input:not([type=hidden])").first.press("Enter")
        self.page.wait_for_load_state()
        self.submitted += 1
        if self.page.url != before:
            self.queue.append(self.here())  # where it landed is a page too (an undo offer)


def seed(store: Store, settings: Settings) -> None:
    """Three sources, one in a folder, a few articles, some in another language, and two
    reports of one earthquake: a story, matched as polling matches."""
    seed_articles(store, 4, folder="World")
    quake = (PERU_1, PERU_2)
    seed_articles(store, 2, feed_url="https://quake.example/rss", title="Quake Desk",
                  make=lambda i: Article(url=f"https://quake.example/{i}", title=quake[i][0],
                                         text=quake[i][1], published=utcnow()))  # fmt: skip
    MatchStep.open(store, settings)

    def german(i: int) -> Article:
        return Article(url=f"https://zeitung.example/{i}", title=f"Nachricht {i}",
                       text=f"Text der Nachricht {i}.", language="de")  # fmt: skip

    seed_articles(store, 2, feed_url="https://zeitung.example/feed", title="Zeitung",
                  make=german)  # fmt: skip


@pytest.fixture
def reader(live: LiveServer) -> LiveServer:
    seed(live.store, live.settings)
    return live


@pytest.fixture
def public_reader(web_settings: Settings) -> Iterator[LiveServer]:
    """The reader open to anyone (public mode), over the same kind of store."""
    settings = web_settings.model_copy(update={"public_mode": True})
    store = Store.open(settings)
    seed(store, settings)
    app = create_app(settings, store=store)
    with ThreadedServer(app) as server:
        yield LiveServer(server.url, app, store, settings)
    store.close()


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_every_page_and_form_signed_in(browser: Browser, reader: LiveServer):  # noqa: F811
    walk = Walk(sign_in(browser, reader).page, reader.url)
    paths = walk.everything()
    assert {"/", "/sources", "/settings", "/search", "/articles/N", "/stories/N"} <= paths
    assert walk.submitted > 20
    assert walk.failures == []


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_every_page_and_form_signed_out(browser: Browser, reader: LiveServer):  # noqa: F811
    walk = Walk(browser.new_context(base_url=reader.url).new_page(), reader.url)
    assert walk.everything() == {"/login"}  # every page asks to sign in first
    assert walk.failures == []


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_every_page_and_form_of_the_public_reader(
    browser: Browser,  # noqa: F811
    public_reader: LiveServer,
):
    walk = Walk(browser.new_context(base_url=public_reader.url).new_page(), public_reader.url)
    assert {"/", "/search", "/articles/N", "/stories/N", "/login"} <= walk.everything()
    assert walk.submitted > 10
    assert walk.failures == []
