"""Redirects are followed by hand, hop by hop, each hop checked."""

from __future__ import annotations

import pytest

from newsdesk.config import Settings
from newsdesk.errors import BlockedAddressError, FetchError, RobotsDisallowedError
from tests.fetch.util import get, one_line
from tests.sites.hostile import FEED_XML, HostileServer


def test_a_chain_up_to_the_limit_is_followed(settings: Settings, hostile: HostileServer) -> None:
    url = hostile.url("/redirect/chain/5")
    page = get(settings, url)
    assert page.url == url
    assert page.final_url == hostile.url("/redirect/chain/0")
    assert page.content == FEED_XML
    assert len(hostile.requests) == 6


def test_one_redirect_too_many(settings: Settings, hostile: HostileServer) -> None:
    url = hostile.url("/redirect/chain/6")
    with pytest.raises(FetchError) as caught:
        get(settings, url)
    assert one_line(caught.value) == f"too many redirects (6) ({url})"
    assert hostile.hits("/redirect/chain/0") == 0


def test_a_loop_is_caught(settings: Settings, hostile: HostileServer) -> None:
    with pytest.raises(FetchError) as caught:
        get(settings, hostile.url("/redirect/loop/a"))
    assert one_line(caught.value).startswith("redirect loop after 2 redirects, back to http")
    assert hostile.hits("/redirect/loop/a") == 1 and hostile.hits("/redirect/loop/b") == 1


def test_redirect_to_another_host(settings: Settings, hostile: HostileServer) -> None:
    target = f"http://localhost:{hostile.port}/feed.xml"
    page = get(settings, hostile.url(f"/redirect/to?status=301&url={target}"))
    assert page.final_url == target and page.content == FEED_XML
    assert hostile.records("/feed.xml")[0].headers["host"] == f"localhost:{hostile.port}"


def test_every_hop_passes_the_address_guard(settings: Settings, hostile: HostileServer) -> None:
    # 0.0.0.0 reaches this very server on Linux; the guard refuses it even with loopback allowed
    target = f"http://0.0.0.0:{hostile.port}/feed.xml"
    with pytest.raises(BlockedAddressError) as caught:
        get(settings, hostile.url(f"/redirect/to?url={target}"))
    assert one_line(caught.value) == f"refused unspecified address 0.0.0.0 ({target})"
    assert hostile.hits("/feed.xml") == 0


def test_redirect_to_a_non_http_url(settings: Settings, hostile: HostileServer) -> None:
    with pytest.raises(FetchError) as caught:
        get(settings, hostile.url("/redirect/to?url=file:///etc/passwd"))
    assert one_line(caught.value).startswith("not an http(s) redirect target: file:///etc/passwd")


def test_redirect_without_location(settings: Settings, hostile: HostileServer) -> None:
    with pytest.raises(FetchError) as caught:
        get(settings, hostile.url("/status/302"))
    assert one_line(caught.value).startswith("HTTP 302 redirect without a Location header")


def test_robots_applies_to_every_hop_of_a_page(settings: Settings, hostile: HostileServer) -> None:
    with pytest.raises(RobotsDisallowedError):
        get(settings, hostile.url("/redirect/to?url=/private/secret.html"), kind="page")
    assert hostile.hits("/redirect/to") == 1
    assert hostile.hits("/private/secret.html") == 0


def test_a_cookie_redirect_to_the_same_url_is_not_a_loop(
    settings: Settings, hostile: HostileServer
) -> None:
    page = get(settings, hostile.url("/redirect/cookie"))
    assert page.content == FEED_XML
    assert [r.status for r in hostile.records("/redirect/cookie")] == [302, 200]
