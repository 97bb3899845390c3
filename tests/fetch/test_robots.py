"""robots.txt: asked for once per site, honoured for pages only."""

from __future__ import annotations

import asyncio

import pytest

from newsdesk.config import Settings
from newsdesk.errors import FetchError, RobotsDisallowedError
from newsdesk.fetch import Fetcher
from newsdesk.fetch.robots import robots_agent
from tests.fetch.util import get, one_line, tuned
from tests.sites.hostile import PAGE_HTML, HostileServer


def test_disallowed_page_is_not_fetched(settings: Settings, hostile: HostileServer) -> None:
    url = hostile.url("/private/secret.html")
    with pytest.raises(RobotsDisallowedError) as caught:
        get(settings, url, kind="page")
    assert one_line(caught.value) == (
        f"robots.txt of 127.0.0.1:{hostile.port} disallows this page ({url})"
    )
    assert hostile.hits("/private/secret.html") == 0
    assert hostile.hits("/robots.txt") == 1


def test_robots_is_fetched_once_per_site(settings: Settings, hostile: HostileServer) -> None:
    async def read_pages() -> list[bytes]:
        async with Fetcher(tuned(settings, per_host_concurrency=3)) as fetcher:
            together = await asyncio.gather(
                *(fetcher.get(hostile.url(f"/public/{n}.html"), kind="page") for n in range(3))
            )
            later = await fetcher.get(hostile.url("/page.html"), kind="page")
            return [page.content for page in [*together, later]]

    assert asyncio.run(read_pages()) == [PAGE_HTML] * 4
    assert hostile.hits("/robots.txt") == 1
    first_page = min(r.started for r in hostile.requests if r.path != "/robots.txt")
    assert hostile.records("/robots.txt")[0].finished <= first_page


def test_robots_is_per_site(settings: Settings, hostile: HostileServer) -> None:
    get(settings, hostile.url("/page.html"), kind="page")
    get(settings, f"http://localhost:{hostile.port}/page.html", kind="page")
    hosts = [r.headers["host"] for r in hostile.records("/robots.txt")]
    assert hosts == [f"127.0.0.1:{hostile.port}", f"localhost:{hostile.port}"]


@pytest.mark.parametrize("kind", ["feed", "other"])
def test_robots_applies_to_pages_only(
    settings: Settings, hostile: HostileServer, kind: str
) -> None:
    get(settings, hostile.url("/private/feed.html"), kind=kind)
    assert hostile.hits("/robots.txt") == 0 and hostile.hits("/private/feed.html") == 1


def test_robots_can_be_switched_off(settings: Settings, hostile: HostileServer) -> None:
    page = get(tuned(settings, respect_robots=False), hostile.url("/private/a.html"), kind="page")
    assert page.content == PAGE_HTML
    assert hostile.hits("/robots.txt") == 0


@pytest.mark.parametrize("status", [404, 403, 500])
def test_a_missing_or_broken_robots_allows_all(
    settings: Settings, hostile: HostileServer, status: int
) -> None:
    hostile.robots_status = status
    page = get(settings, hostile.url("/private/a.html"), kind="page")
    assert page.content == PAGE_HTML
    assert hostile.hits("/robots.txt") == 1


def test_robots_agent_is_the_product_token(settings: Settings) -> None:
    assert robots_agent(settings.user_agent) == "newsdesk"
    assert robots_agent("Mozilla/5.0 (X11)") == "Mozilla"
    assert robots_agent("") == "*"


def test_a_robots_retry_after_holds_the_page(settings: Settings, hostile: HostileServer) -> None:
    hostile.robots_status = 429
    url = hostile.url("/public/a.html")
    with pytest.raises(FetchError) as caught:
        get(settings, url, kind="page")
    assert caught.value.status == 429 and caught.value.retry_after == 120.0
    assert one_line(caught.value) == f"HTTP 429 Too Many Requests, retry after 120 s ({url})"
    assert hostile.hits("/public/a.html") == 0
