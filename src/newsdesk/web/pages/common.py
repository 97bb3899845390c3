"""What every reader page shares: who may see it, the operator's block, its own address, and
where a form may send the browser next."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from fastapi import Request

from newsdesk.config import Settings
from newsdesk.model import User
from newsdesk.web.auth.identity import current_user
from newsdesk.web.errors import LoginRequired
from newsdesk.web.sanitize import sanitize_html

OPERATOR_EVERY = 5  # the operator's block appears after every this many items


async def reader_or_public(request: Request) -> User | None:
    """The signed-in user; None for an anonymous visitor in public mode; else sign in first."""
    user = current_user(request)
    if user is None and not request.app.state.settings.public_mode:
        raise LoginRequired()
    return user


def operator_block(settings: Settings) -> str:
    return sanitize_html(settings.public_block_html) if settings.public_block_html else ""


def list_context(request: Request, viewer: User | None) -> dict[str, Any]:
    """What a page listing articles (river, search) needs besides its items."""
    settings: Settings = request.app.state.settings
    return {
        "here": here_url(request),
        "public": viewer is None,
        "operator_block": operator_block(settings) if viewer is None else "",
        "operator_every": OPERATOR_EVERY,
    }


# what a form sends the browser back with, to say what it did: not part of the page's address
NOTICE_PARAMS = frozenset({"marked", "undo", "unmarked"})


def here_url(request: Request) -> str:
    """This page's address, for forms to come back to (without a previous form's notice)."""
    query = [(k, v) for k, v in request.query_params.multi_items() if k not in NOTICE_PARAMS]
    return request.url.path + (f"?{urlencode(query)}" if query else "")


def with_notice(target: str, notice: dict[str, object]) -> str:
    """`target` with what a form did in its query, for the page there to say."""
    parts = urlsplit(target)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in NOTICE_PARAMS]
    query += [(k, str(v)) for k, v in notice.items()]
    return urlunsplit(parts._replace(query=urlencode(query)))


def clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def safe_next(target: str | None) -> str:
    """Only same-site paths may be a redirect target after signing in."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target:
        return "/"
    return target
