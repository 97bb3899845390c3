"""Proxies from the environment: a real proxy on loopback, NO_PROXY, and the guard on the way."""

from __future__ import annotations

import pytest
import trustme

from newsdesk.config import Settings, load_settings
from newsdesk.errors import BlockedAddressError, ConfigError
from newsdesk.fetch import Fetcher
from tests.fetch.proxy import Proxy
from tests.fetch.tlssite import FEED, trust
from tests.fetch.util import get, one_line, tuned
from tests.sites.hostile import FEED_XML, HostileServer


def proxied(settings: Settings) -> Settings:
    """The transports that use proxies: auto (in place of fast, which ignores them) and httpx."""
    mode = "auto" if settings.http_transport == "fast" else settings.http_transport
    return tuned(settings, http_transport=mode)


def test_http_goes_through_the_proxy(
    settings: Settings, hostile: HostileServer, proxy: Proxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.origin)
    url = hostile.url("/feed.xml")
    page = get(proxied(settings), url)
    assert page.content == FEED_XML and page.final_url == url
    assert proxy.carried == [("GET", url)]
    assert hostile.records("/feed.xml")[0].headers["user-agent"] == settings.user_agent


def test_https_goes_through_a_tunnel(
    settings: Settings,
    tls_site: tuple[trustme.CA, str],
    proxy: Proxy,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ca, base = tls_site
    trust(ca)
    monkeypatch.setenv("HTTPS_PROXY", proxy.origin)
    page = get(proxied(settings), f"{base}/feed.xml")
    assert page.content == FEED + b"<!--/feed.xml-->"
    assert proxy.carried == [("CONNECT", base.removeprefix("https://"))]


def test_no_proxy_and_the_fast_transport_go_direct(
    settings: Settings, hostile: HostileServer, proxy: Proxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.origin)
    assert get(tuned(settings, http_transport="fast"), hostile.url("/feed.xml")).content
    monkeypatch.setenv("NO_PROXY", "example.org, 127.0.0.1")
    assert get(proxied(settings), hostile.url("/feed.xml")).content == FEED_XML
    assert proxy.carried == []
    assert hostile.hits("/feed.xml") == 2


def test_the_target_is_guarded_through_the_proxy(
    settings: Settings, hostile: HostileServer, proxy: Proxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the proxy may be on loopback (configured so), the loopback target may not
    monkeypatch.setenv("HTTP_PROXY", proxy.origin)
    guarded = tuned(proxied(settings), allow_private_networks=False, allow_private_proxy=True)
    url = hostile.url("/feed.xml")
    with pytest.raises(BlockedAddressError) as caught:
        get(guarded, url)
    assert one_line(caught.value) == (
        "refused loopback address 127.0.0.1; NEWSDESK_ALLOW_PRIVATE_NETWORKS=true allows it"
        f" ({url})"
    )
    assert proxy.carried == [] and hostile.requests == []


def test_every_redirect_hop_is_guarded_through_the_proxy(
    settings: Settings, hostile: HostileServer, proxy: Proxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.origin)
    target = f"http://0.0.0.0:{hostile.port}/feed.xml"
    first = hostile.url(f"/redirect/to?url={target}")
    with pytest.raises(BlockedAddressError) as caught:
        get(proxied(settings), first)
    assert one_line(caught.value) == f"refused unspecified address 0.0.0.0 ({target})"
    assert [method for method, _ in proxy.carried] == ["GET"]
    assert hostile.hits("/feed.xml") == 0


def test_a_proxy_on_loopback_needs_configuration(
    settings: Settings, proxy: Proxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.origin)
    public = "http://93.184.216.34/feed.xml"  # checked, never connected to: the proxy is refused
    strict = tuned(proxied(settings), allow_private_networks=False, allow_private_proxy=False)
    with pytest.raises(BlockedAddressError) as caught:
        get(strict, public)
    message = one_line(caught.value)
    assert message.startswith("refused loopback address 127.0.0.1 of the proxy")
    assert "NEWSDESK_ALLOW_PRIVATE_PROXY" in message and message.endswith(f"({public})")
    assert proxy.carried == []


def test_an_unsupported_proxy_is_one_clear_line(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALL_PROXY", "socks5://127.0.0.1:1080")
    with pytest.raises(ConfigError) as caught:
        Fetcher(proxied(settings))
    assert one_line(caught.value) == (
        "unsupported proxy socks5://127.0.0.1:1080: only http:// and https:// proxies are used"
    )


def test_the_transport_setting_takes_three_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSDESK_HTTP_TRANSPORT", "httpx")
    assert load_settings().http_transport == "httpx"
    monkeypatch.setenv("NEWSDESK_HTTP_TRANSPORT", "h3")
    with pytest.raises(ConfigError, match="NEWSDESK_HTTP_TRANSPORT"):
        load_settings()
