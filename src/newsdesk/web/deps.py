"""Per-request dependencies shared by every router: settings, store, the signed-in user.

Routers take these with ``Depends``; everything here reads from ``request.app.state``, which
``create_app`` fills, so a test can build an app around its own store and settings.
"""

from __future__ import annotations

import threading
from time import monotonic
from typing import TYPE_CHECKING, Any

from fastapi import Depends, HTTPException, Request

from newsdesk.config import Settings
from newsdesk.errors import NotFoundError

if TYPE_CHECKING:
    from newsdesk.model import User
    from newsdesk.store import Store

SESSION_COOKIE = "newsdesk_session"


class LoginRequired(HTTPException):
    """No valid session. HTML pages answer with a redirect to /login, /api paths with 401 JSON."""

    def __init__(self) -> None:
        super().__init__(status_code=401, detail="sign in first")


class AdminRequired(HTTPException):
    def __init__(self) -> None:
        super().__init__(status_code=403, detail="only an administrator can do that")


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_store(request: Request) -> Store:
    return request.app.state.store


def base_url(request: Request, settings: Settings) -> str:
    """Where newsdesk is reached: NEWSDESK_BASE_URL, else the address this request came to."""
    return (settings.base_url or str(request.base_url)).rstrip("/")


def session_data(request: Request) -> dict[str, Any] | None:
    """The verified contents of the session cookie, or None (missing, forged or expired)."""
    cached = request.scope.get("newsdesk.session", False)
    if cached is not False:
        return cached
    raw = request.cookies.get(SESSION_COOKIE)
    data = request.app.state.sessions.load(raw) if raw else None
    request.scope["newsdesk.session"] = data
    return data


class UserCache:
    """Accounts by id, each kept for a few seconds: every page looks up its signed-in user, and
    an account's name and role never change once it is made, so a copy read moments ago is as
    good as a fresh one. Only accounts that exist are kept."""

    SECONDS = 10.0
    SIZE = 1000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users: dict[int, tuple[float, User]] = {}

    def get(self, store: Store, user_id: int) -> User:
        now = monotonic()
        hit = self._users.get(user_id)
        if hit is not None and now - hit[0] < self.SECONDS:
            return hit[1]
        user = store.get_user(user_id)  # NotFoundError for an unknown id: never kept
        with self._lock:
            if len(self._users) >= self.SIZE:
                self._users.clear()
            self._users[user_id] = (now, user)
        return user


def current_user(request: Request) -> User | None:
    """The user the session cookie names, or None for an anonymous visitor."""
    if "newsdesk.user" in request.scope:
        return request.scope["newsdesk.user"]
    data = session_data(request)
    user = None
    if data is not None:
        try:
            user = request.app.state.users.get(request.app.state.store, int(data["uid"]))
        except (NotFoundError, KeyError, TypeError, ValueError):
            user = None
    request.scope["newsdesk.user"] = user
    return user


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
