"""URLs found in feeds, made absolute; anything that is not http(s) is dropped."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit


def web_url(base: str, href: object) -> str | None:
    """`href` resolved against `base`; None unless the result is an http or https URL.

    A feed is untrusted input: javascript:, data: or file: links must not reach a reader.
    """
    if not isinstance(href, str) or not href.strip():
        return None
    try:
        url = urljoin(base, href.strip())
        scheme = urlsplit(url).scheme.lower()
    except ValueError:  # e.g. a malformed IPv6 host
        return None
    return url if scheme in ("http", "https") else None
