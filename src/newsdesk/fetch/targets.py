"""What a request may go to: an absolute http(s) httpx.URL, its host key and its origin."""

from __future__ import annotations

import httpx

from newsdesk.errors import FetchError
from newsdesk.urls import DEFAULT_PORTS, SCHEMES, display_url


def parse_url(url: str | httpx.URL, *, what: str = "URL", shown: str | None = None) -> httpx.URL:
    """An absolute http(s) URL with a host, or a one-line FetchError saying why not.

    shown: how to name the URL in the message, when the caller has a truer spelling of it.
    """
    if isinstance(url, str):
        url = url.strip()
        if not url:
            raise FetchError(f"empty {what}")
    shown = shown or display_url(url)
    try:
        parsed = httpx.URL(url) if isinstance(url, str) else url
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        reason = " ".join(str(exc).split())
        raise FetchError(f"invalid {what} {shown}: {reason}") from None
    if parsed.scheme not in SCHEMES:
        raise FetchError(f"not an http(s) {what}: {shown}")
    if not parsed.host:
        raise FetchError(f"{what} has no host: {shown}")
    if parsed.port is not None and not 0 < parsed.port < 65536:
        raise FetchError(f"invalid {what} {shown}: port {parsed.port} out of range")
    return parsed


def host_key(url: httpx.URL) -> str:
    """hostname:port, the unit of politeness (IPv6 hosts in brackets)."""
    port = url.port or DEFAULT_PORTS[url.scheme]
    host = url.host
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def origin(url: httpx.URL) -> str:
    """scheme://host:port, the scope of one robots.txt."""
    return f"{url.scheme}://{host_key(url)}"
