"""The only HTTP client of newsdesk: polite, capped, guarded. See docs/fetching.md."""

from newsdesk.fetch.client import ACCEPT, Fetcher, Kind, fetch_one
from newsdesk.fetch.hosts import HostStatus

__all__ = ["ACCEPT", "Fetcher", "HostStatus", "Kind", "fetch_one"]
