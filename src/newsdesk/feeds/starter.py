"""A starter list of well-known public news feeds, shipped as starter.opml in this package."""

from __future__ import annotations

from importlib.resources import files

from newsdesk.feeds.opml import parse_opml
from newsdesk.model import Subscription


def starter_opml() -> bytes:
    return files("newsdesk.feeds").joinpath("starter.opml").read_bytes()


def starter_subscriptions() -> list[Subscription]:
    """About twenty public feeds in the folders World, Technology and Science."""
    return parse_opml(starter_opml())
