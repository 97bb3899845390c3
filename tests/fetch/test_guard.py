"""The address guard and URL checks: refused before any byte is sent."""

from __future__ import annotations

import pytest

from newsdesk.config import Settings
from newsdesk.errors import BlockedAddressError, FetchError
from newsdesk.fetch.guard import check_addresses, refusal_reason
from tests.fetch.util import closed_port, get, one_line, tuned
from tests.sites.hostile import FEED_XML, HostileServer


@pytest.mark.parametrize(
    ("host", "reason", "kind"),
    [
        ("127.0.0.1", "loopback", "feed"),
        ("127.0.0.1", "loopback", "page"),  # robots.txt is not asked for either
        ("10.0.0.1", "private", "page"),
        ("169.254.169.254", "link-local", "page"),
        ("[::1]", "loopback", "page"),
        ("[::ffff:127.0.0.1]", "loopback", "page"),
        ("localhost", "loopback", "feed"),
    ],
)
def test_private_addresses_are_refused(
    settings: Settings, hostile: HostileServer, host: str, reason: str, kind: str
) -> None:
    url = f"http://{host}:{hostile.port}/public/story.html"
    with pytest.raises(BlockedAddressError) as caught:
        get(tuned(settings, allow_private_networks=False), url, kind=kind)
    message = one_line(caught.value)
    assert f"refused {reason} address" in message or f"resolves to {reason} address" in message
    assert "; NEWSDESK_ALLOW_PRIVATE_NETWORKS=true allows it" in message  # says how to allow it
    assert message.endswith(f"({url})")
    assert hostile.requests == []  # not even robots.txt was asked for


def test_loopback_is_fetched_when_allowed(settings: Settings, hostile: HostileServer) -> None:
    assert settings.allow_private_networks
    assert get(settings, f"http://localhost:{hostile.port}/feed.xml").content == FEED_XML


@pytest.mark.parametrize(
    ("address", "refused", "refused_when_private_allowed"),
    [
        ("93.184.216.34", None, None),
        ("2606:4700:4700::1111", None, None),
        ("127.0.0.53", "loopback", None),
        ("::1", "loopback", None),
        ("192.168.1.10", "private", None),
        ("172.16.0.1", "private", None),
        ("fc00::1", "private", None),
        ("fe80::1", "link-local", None),
        ("100.64.0.1", "non-public", None),
        ("::ffff:10.0.0.1", "private", None),
        ("64:ff9b::7f00:1", "loopback", None),  # NAT64 form of 127.0.0.1
        ("2002:7f00:1::1", "loopback", None),  # 6to4 form of 127.0.0.1
        ("64:ff9b::5db8:d822", None, None),  # NAT64 form of a public address
        ("0.0.0.0", "unspecified", "unspecified"),
        ("::", "unspecified", "unspecified"),
        ("224.0.0.1", "multicast", "multicast"),
        ("ff02::1", "multicast", "multicast"),
        ("240.0.0.1", "reserved", "reserved"),
        ("255.255.255.255", "reserved", "reserved"),
        ("not-an-address", "unparseable", "unparseable"),
    ],
)
def test_refusal_reasons(
    address: str, refused: str | None, refused_when_private_allowed: str | None
) -> None:
    assert refusal_reason(address, allow_private=False) == refused
    assert refusal_reason(address, allow_private=True) == refused_when_private_allowed


def test_every_resolved_address_must_pass() -> None:
    # a rebinding answer mixes a public address with a private one: the whole host is refused
    with pytest.raises(BlockedAddressError, match="resolves to private address 10.1.2.3"):
        check_addresses("news.example", ["93.184.216.34", "10.1.2.3"], allow_private=False)
    check_addresses("news.example", ["93.184.216.34", "2606:4700:4700::1111"], allow_private=False)


@pytest.mark.parametrize(
    ("url", "start"),
    [
        ("ftp://example.org/feed.xml", "not an http(s) URL: ftp://example.org/feed.xml"),
        ("javascript:alert(1)", "not an http(s) URL: javascript:alert(1)"),
        ("just some words", "not an http(s) URL: just%20some%20words"),
        ("", "empty URL"),
        ("  \n ", "empty URL"),
        ("http://", "URL has no host: http://"),
        ("http:///feed.xml", "URL has no host: http:///feed.xml"),
        ("http://[::1/feed", "invalid URL http://[::1/feed:"),
        ("http://example.org:99999/", "invalid URL http://example.org:99999/:"),
    ],
)
def test_bad_urls_get_one_line(settings: Settings, url: str, start: str) -> None:
    with pytest.raises(FetchError) as caught:
        get(settings, url)
    assert one_line(caught.value).startswith(start)


def test_passwords_stay_out_of_messages(settings: Settings, hostile: HostileServer) -> None:
    port = closed_port()
    refused = f"http://reader:s3cret@127.0.0.1:{port}/feed.xml"
    with pytest.raises(FetchError) as caught:
        get(settings, refused)
    assert "s3cret" not in str(caught.value) and "s3cret" not in str(caught.value.url)
    assert f"(http://reader:***@127.0.0.1:{port}/feed.xml)" in one_line(caught.value)

    missing = f"http://reader:s3cret@127.0.0.1:{hostile.port}/status/404"
    with pytest.raises(FetchError) as caught:
        get(settings, missing)
    assert "s3cret" not in str(caught.value) and "reader:***@" in str(caught.value)
    assert hostile.records("/status/404")[0].headers["authorization"].startswith("Basic ")

    with pytest.raises(BlockedAddressError) as caught:
        get(tuned(settings, allow_private_networks=False), refused)
    assert "s3cret" not in str(caught.value)
