"""axe-core (npm) in Debian's Chromium over every page of the reader: signed in and signed out
(public mode), light and dark, desktop and phone (and the phone's drawer open). No serious or
critical violation anywhere; the counts per page are written to tests/artifacts/axe.txt.

    pytest -q tests/web/test_accessibility.py -s      # prints the table
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from newsdesk.config import Settings
from tests.web.axe import axe_script, run_axe, severe
from tests.web.conftest import ADMIN, ADMIN_PASSWORD, LiveServer
from tests.web.showcase import seed_cjk
from tests.web.test_browser import ARTIFACTS, browser
from tests.web.test_browser_phone import seed
from tests.web.test_browser_stories import SIZES

__all__ = ["browser"]

pytestmark = pytest.mark.browser


@pytest.fixture
def web_settings(web_settings: Settings) -> Settings:
    # public mode: a visitor signed out reads the river, stories and articles too
    return web_settings.model_copy(update={"public_mode": True})


def pages(live: LiveServer, signed_in: bool) -> list[str]:
    """Every page of the reader a person can see, one of each kind."""
    store = live.store
    story = max(store.list_stories(limit=1000), key=lambda s: len(s.article_ids))
    article = min(story.article_ids)
    feed = store.list_feeds()[0]
    common = [
        "/",
        "/?view=articles",
        "/stories",
        f"/stories/{story.id}",
        f"/articles/{article}",
        "/search?q=%E5%8F%B0%E9%A3%8E",  # 台风
        "/search?q=nothingwillmatchthis",
        "/no-such-page",
    ]
    if not signed_in:
        return [*common, "/login"]
    return [
        *common,
        f"/?feed={feed.id}",
        "/?folder=News",
        "/?starred=1&unread=1",
        "/sources",
        "/settings",
    ]


def sign_in(page: Page) -> None:
    page.goto("/login")
    page.get_by_label("User name").fill(ADMIN)
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


@pytest.mark.timeout(900)
def test_no_serious_or_critical_violations_on_any_page(browser: Browser, live: LiveServer) -> None:
    script = axe_script()
    seed(live)
    with ThreadPoolExecutor(1) as pool:  # matching runs its own event loop where needed
        pool.submit(seed_cjk, live.store, live.settings).result()
    rows: list[str] = []
    failures: list[str] = []
    for signed_in in (False, True):
        for scheme in ("light", "dark"):
            for size in sorted(SIZES):
                ctx = browser.new_context(base_url=live.url, color_scheme=scheme, **SIZES[size])
                page = ctx.new_page()
                if signed_in:
                    sign_in(page)
                who = "signed in" if signed_in else "signed out"
                views = [(path, False) for path in pages(live, signed_in)]
                if size == "phone":
                    views.append(("/", True))  # with the drawer open
                for path, drawer in views:
                    page.goto(path)
                    if drawer:
                        page.get_by_role("button", name="Menu", exact=True).click()
                    found = run_axe(page, script)
                    bad = severe(found)
                    name = path + (" (drawer open)" if drawer else "")
                    rows.append(
                        f"{name:40} {who:10} {scheme:5} {size:7} "
                        f"serious+critical {len(bad)}  all {len(found)}"
                        + (f"  [{', '.join(v['id'] for v in found)}]" if found else "")
                    )
                    failures += [
                        f"{name} ({who}, {scheme}, {size}): {v['impact']} {v['id']}: "
                        f"{v['help']} at {v['targets']}"
                        for v in bad
                    ]
                ctx.close()
    table = "\n".join(rows)
    ARTIFACTS.mkdir(exist_ok=True)
    Path(ARTIFACTS / "axe.txt").write_text(table + "\n", encoding="utf-8")
    print(table)
    assert not failures, "\n".join(failures)
