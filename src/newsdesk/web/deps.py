"""Per-request dependencies shared by every router: the signed-in user (or an administrator),
the base URL. The settings and the store, typed, are in web/state.py.

Routers take these with ``Depends``; everything here reads from ``request.app.state``, which
``create_app`` fills, so a test can build an app around its own store and settings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import Depends, Request

from newsdesk.config import Settings
from newsdesk.web.auth.identity import current_user
from newsdesk.web.errors import AdminRequired, LoginRequired

if TYPE_CHECKING:
    from newsdesk.model import User


def base_url(request: Request, settings: Settings) -> str:
    """Where newsdesk is reached: NEWSDESK_BASE_URL, else the address this request came to."""
    return (settings.base_url or str(request.base_url)).rstrip("/")


async def signed_in(request: Request) -> User | None:
    """current_user as a dependency. These dependencies are coroutines so that they run on the
    event loop: the account is nearly always cached, and handing a plain function to a worker
    thread cost more than the lookup itself."""
    return current_user(request)


async def require_user(user: User | None = Depends(signed_in)) -> User:
    if user is None:
        raise LoginRequired()
    return user


async def require_admin(user: User = Depends(require_user)) -> User:
    if not user.is_admin:
        raise AdminRequired()
    return user
