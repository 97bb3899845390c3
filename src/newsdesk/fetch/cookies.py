"""The cookies a Fetcher keeps: what sites set, sent back to them as a browser would.

Some sites set a cookie and redirect to the same page (a consent or cookie-check wall); without
the cookie the page never comes. The standard library's CookieJar applies the domain, path,
expiry and secure rules; it works on urllib's request and response objects, so thin stand-ins
carry our URLs and headers to it. Most answers set no cookie and most sites have none, so both
directions cost nothing then.
"""

from __future__ import annotations

import urllib.request
from email.message import Message
from http.cookiejar import CookieJar


class _Answered:
    """What CookieJar.extract_cookies reads of a response: its headers, through info()."""

    def __init__(self, set_cookies: list[str]) -> None:
        self._headers = Message()
        for value in set_cookies:
            self._headers["Set-Cookie"] = value

    def info(self) -> Message:
        return self._headers


class Cookies:
    def __init__(self) -> None:
        self._jar = CookieJar()

    def __len__(self) -> int:
        return len(self._jar)

    def header(self, url: str) -> str | None:
        """The Cookie header to send with a request for url, if the jar holds any for it."""
        if not len(self._jar):
            return None
        request = urllib.request.Request(url)
        self._jar.add_cookie_header(request)
        return request.get_header("Cookie")

    def keep(self, url: str, set_cookies: list[str]) -> None:
        """Store the cookies a response to url set (its Set-Cookie header values)."""
        if set_cookies:
            self._jar.extract_cookies(_Answered(set_cookies), urllib.request.Request(url))
