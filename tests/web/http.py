"""One-off HTTP calls for the web tests, with a timeout that holds on a busy machine."""

from __future__ import annotations

from typing import Any

import httpx

TIMEOUT = httpx.Timeout(60.0)


def request(method: str, url: str, **options: Any) -> httpx.Response:
    options.setdefault("timeout", TIMEOUT)
    return httpx.request(method, url, **options)


def get(url: str, **options: Any) -> httpx.Response:
    return request("GET", url, **options)


def post(url: str, **options: Any) -> httpx.Response:
    return request("POST", url, **options)
