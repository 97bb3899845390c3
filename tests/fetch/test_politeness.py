"""Per-host concurrency and spacing, Retry-After, backoff, and what errors carry."""

from __future__ import annotations

import asyncio

import pytest

from newsdesk.config import Settings
from newsdesk.errors import FetchError
from newsdesk.fetch import Fetcher
from newsdesk.fetch.hosts import backoff_delay, parse_retry_after
from tests.fetch.util import get, one_line, tuned
from tests.sites.hostile import FEED_XML, HostileServer


def _two_at_once(settings: Settings, first: str, second: str) -> None:
    async def run() -> None:
        async with Fetcher(settings) as fetcher:
            await asyncio.gather(fetcher.get(first), fetcher.get(second))

    asyncio.run(run())


def test_one_request_at_a_time_per_host(settings: Settings, hostile: HostileServer) -> None:
    _two_at_once(settings, hostile.url("/slow?delay=0.3&n=1"), hostile.url("/slow?delay=0.3&n=2"))
    first, second = sorted(hostile.records("/slow"), key=lambda r: r.started)
    assert first.finished is not None and second.started >= first.finished


def test_concurrency_setting_allows_overlap(settings: Settings, hostile: HostileServer) -> None:
    wide = tuned(settings, per_host_concurrency=2)
    _two_at_once(wide, hostile.url("/slow?delay=0.6&n=1"), hostile.url("/slow?delay=0.6&n=2"))
    first, second = sorted(hostile.records("/slow"), key=lambda r: r.started)
    assert first.finished is not None and second.started < first.finished


def test_a_host_is_hostname_and_port(settings: Settings, hostile: HostileServer) -> None:
    other_name = f"http://localhost:{hostile.port}/slow?delay=0.6"
    _two_at_once(settings, hostile.url("/slow?delay=0.6"), other_name)
    first, second = sorted(hostile.records("/slow"), key=lambda r: r.started)
    assert first.finished is not None and second.started < first.finished


def test_requests_to_one_host_are_spaced(settings: Settings, hostile: HostileServer) -> None:
    async def run() -> tuple[int, bool]:
        async with Fetcher(tuned(settings, per_host_interval=60.0)) as fetcher:
            await fetcher.get(hostile.url("/feed.xml"))
            waiting = asyncio.create_task(fetcher.get(hostile.url("/page.html")))
            # another host is not held up by this one's spacing
            await fetcher.get(f"http://localhost:{hostile.port}/feed.xml")
            await asyncio.sleep(0.2)
            seen, done = hostile.hits("/page.html"), waiting.done()
            waiting.cancel()
            return seen, done

    assert asyncio.run(run()) == (0, False)
    assert hostile.hits("/feed.xml") == 2


def test_short_retry_after_is_waited(settings: Settings, hostile: HostileServer) -> None:
    async def run() -> None:
        async with Fetcher(settings) as fetcher:
            with pytest.raises(FetchError) as caught:
                await fetcher.get(hostile.url("/status/429?retry_after=1"))
            assert caught.value.status == 429 and caught.value.retry_after == 1.0
            assert one_line(caught.value).startswith("HTTP 429 Too Many Requests, retry after 1 s")
            assert fetcher.host_status(hostile.url("/")).retry_after is not None
            page = await fetcher.get(hostile.url("/feed.xml"))
            assert page.content == FEED_XML
            assert fetcher.host_status(hostile.url("/")).wait == 0.0

    asyncio.run(run())


def test_long_retry_after_fails_fast(settings: Settings, hostile: HostileServer) -> None:
    async def run() -> None:
        async with Fetcher(settings) as fetcher:
            with pytest.raises(FetchError):
                await fetcher.get(hostile.url("/status/429?retry_after=120"))
            with pytest.raises(FetchError) as caught:
                await fetcher.get(hostile.url("/feed.xml"))
            error = caught.value
            assert error.status == 429 and error.retry_after is not None
            assert 100 < error.retry_after <= 120
            assert one_line(error).startswith("HTTP 429 Too Many Requests, retry after 1")
            assert error.url == hostile.url("/feed.xml")
            # another host is not affected
            await fetcher.get(f"http://localhost:{hostile.port}/feed.xml")

    asyncio.run(run())
    assert hostile.hits("/feed.xml") == 1


def test_retry_after_as_http_date(settings: Settings, hostile: HostileServer) -> None:
    with pytest.raises(FetchError) as caught:
        get(settings, hostile.url("/status/503?retry_after_date=30"))
    assert caught.value.status == 503
    assert caught.value.retry_after is not None and 27 <= caught.value.retry_after <= 31


def test_server_errors_back_off(settings: Settings, hostile: HostileServer) -> None:
    async def run() -> None:
        async with Fetcher(tuned(settings, retry_after_max_wait=0.1)) as fetcher:
            with pytest.raises(FetchError) as caught:
                await fetcher.get(hostile.url("/status/500"))
            assert caught.value.status == 500 and caught.value.retry_after is None
            assert not caught.value.permanent
            status = fetcher.host_status(hostile.url("/"))
            assert status.failures == 1 and status.backoff == 1.0 and status.wait > 0
            with pytest.raises(FetchError) as caught:
                await fetcher.get(hostile.url("/feed.xml"))  # backoff longer than allowed wait
            assert one_line(caught.value).startswith(f"127.0.0.1:{hostile.port} failed once")
            assert caught.value.status == 500 and caught.value.retry_after is not None

    asyncio.run(run())
    assert hostile.hits("/feed.xml") == 0


def test_success_ends_the_backoff(settings: Settings, hostile: HostileServer) -> None:
    async def run() -> None:
        async with Fetcher(settings) as fetcher:
            with pytest.raises(FetchError):
                await fetcher.get(hostile.url("/reset"))
            assert fetcher.host_status(hostile.url("/")).failures == 1
            await fetcher.get(hostile.url("/feed.xml"))  # waits out the 1 s backoff
            assert fetcher.host_status(hostile.url("/")).failures == 0

    asyncio.run(run())
    reset, feed = hostile.records("/reset")[0], hostile.records("/feed.xml")[0]
    assert reset.finished is not None and feed.started > reset.finished


@pytest.mark.parametrize(("status", "permanent"), [(404, False), (410, True), (403, False)])
def test_client_errors(
    settings: Settings, hostile: HostileServer, status: int, permanent: bool
) -> None:
    async def run() -> None:
        async with Fetcher(settings) as fetcher:
            with pytest.raises(FetchError) as caught:
                await fetcher.get(hostile.url(f"/status/{status}"))
            assert caught.value.status == status and caught.value.permanent is permanent
            assert one_line(caught.value).startswith(f"HTTP {status} ")
            assert fetcher.host_status(hostile.url("/")).failures == 0  # the host is fine

    asyncio.run(run())


def test_retry_after_values() -> None:
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("  7 ") == 7.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
    assert parse_retry_after("soon") is None
    assert parse_retry_after("") is None and parse_retry_after(None) is None
    assert parse_retry_after("-5") is None


def test_backoff_doubles_up_to_a_limit() -> None:
    assert [backoff_delay(n) for n in range(5)] == [0.0, 1.0, 2.0, 4.0, 8.0]
    assert backoff_delay(100) == 3600.0
