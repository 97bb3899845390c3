"""The only HTTP client of newsdesk: polite, capped, guarded. See docs/fetching.md."""

from newsdesk.fetch.client import ACCEPT, Fetcher, Kind, fetch_one
from newsdesk.fetch.hosts import HostStatus, parse_retry_after
from newsdesk.urls import display_url

__all__ = [
    "ACCEPT",
    "Fetcher",
    "HostStatus",
    "Kind",
    "display_url",
    "fetch_one",
    "parse_retry_after",
]
