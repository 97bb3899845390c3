"""Who is calling: the user of a session, an API token, an API password (Google Reader, Fever,
feed readers) or a login password.

- /api/v1: `Authorization: Bearer <token>` (tokens from the api_tokens table, stored hashed),
  or the browser's session cookie (writes then need the CSRF header, as forms do).
- Google Reader and Fever: the user's API password, separate from the login password
  (as FreshRSS does). Google Reader gets "user/<hmac>" from ClientLogin; Fever sends
  md5("user:apipassword") as api_key.
- Output feeds: session, bearer token, or HTTP Basic with the API password (feed readers).
"""

from __future__ import annotations

import base64
import binascii
import hmac
import threading
from functools import partial
from time import monotonic
from typing import TYPE_CHECKING

from fastapi import Request

from newsdesk.errors import NotFoundError
from newsdesk.model import User
from newsdesk.web.auth.csrf import CSRF_HEADER, csrf_header_valid
from newsdesk.web.auth.passwords import DUMMY_HASH, verify_password
from newsdesk.web.auth.sessions import session_data
from newsdesk.web.auth.tokens import bearer_token, greader_auth_token, hash_token
from newsdesk.web.errors import api_error
from newsdesk.web.state import get_store

if TYPE_CHECKING:
    from newsdesk.store import Store

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


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
            user = request.app.state.users.get(get_store(request), int(data["uid"]))
        except (NotFoundError, KeyError, TypeError, ValueError):
            user = None
    request.scope["newsdesk.user"] = user
    return user


def authenticate(store: Store, username: str, password: str) -> User | None:
    try:
        user = store.find_user(username)
    except NotFoundError:
        # spend the same time as a real check so timing does not reveal which names exist
        verify_password(DUMMY_HASH, password)
        return None
    if not verify_password(store.user_password_hash(user.id), password):
        return None
    return user


# --- API tokens (/api/v1) -------------------------------------------------------------------


def token_user(request: Request) -> User | None:
    """The owner of the bearer token, None without one; 401 for a token that is not valid."""
    token = bearer_token(request)
    if token is None:
        return None
    try:
        return get_store(request).user_by_token_hash(hash_token(token))
    except NotFoundError:
        raise api_error(401, "the API token is not valid", {"WWW-Authenticate": "Bearer"}) from None


def require_api_user(request: Request) -> User:
    """Dependency of /api/v1: a bearer token, or a session (with the CSRF header for writes)."""
    user = token_user(request)
    if user is not None:
        return user
    user = current_user(request)
    if user is None:
        raise api_error(
            401,
            "authentication required: send 'Authorization: Bearer <token>'",
            {"WWW-Authenticate": "Bearer"},
        )
    if request.method not in SAFE_METHODS and not csrf_header_valid(request):
        raise api_error(403, f"a signed-in browser must send the {CSRF_HEADER} header to write")
    return user


# --- API passwords (Google Reader, Fever, feed readers) -------------------------------------


def check_api_password(request: Request, username: str, password: str) -> User | None:
    """The user whose API password this is, or None. Never the login password."""
    store = get_store(request)
    try:
        user = store.find_user(username)
    except NotFoundError:
        return None
    if not password or not verify_password(store.user_api_password_hash(user.id), password):
        return None
    return user


def basic_user(request: Request) -> User | None:
    """HTTP Basic with the API password (how feed readers authenticate); None without it."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise api_error(401, "the Basic credentials are not valid base64") from None
    username, _, password = decoded.partition(":")
    user = check_api_password(request, username, password)
    if user is None:
        raise api_error(
            401, "wrong user name or API password", {"WWW-Authenticate": 'Basic realm="newsdesk"'}
        )
    return user


def optional_viewer(request: Request) -> User | None:
    """Anyone reading: a session, a bearer token or Basic credentials; None when anonymous."""
    return token_user(request) or basic_user(request) or current_user(request)


def greader_user_for_token(request: Request, token: str) -> User | None:
    """The user a Google Reader auth token is valid for. Clients send it with every call: a
    valid token is kept per worker while the database stays as it was (a new API password, or
    any other change, checks it again); a wrong one is never kept."""
    cache = getattr(request.app.state, "view_cache", None)
    if cache is None:
        return _greader_token_user(request, token)
    key = ("greader token", token)
    compute = partial(_greader_token_user, request, token)
    return cache.kept(get_store(request), key, compute, keep_none=False)


def _greader_token_user(request: Request, token: str) -> User | None:
    username, sep, _ = token.partition("/")
    if not sep:
        return None
    try:
        user, password_hash = get_store(request).find_user_with_api_password_hash(username)
    except NotFoundError:
        return None
    if not password_hash:
        return None
    if not hmac.compare_digest(greader_auth_token(user, password_hash), token):
        return None
    return user


def fever_user(request: Request, api_key: str | None) -> User | None:
    if not api_key or len(api_key) != 32:
        return None
    try:
        return get_store(request).user_by_fever_key(api_key.lower())
    except NotFoundError:
        return None
