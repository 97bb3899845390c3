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
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import TYPE_CHECKING

from fastapi import Request

from newsdesk.errors import NotFoundError
from newsdesk.model import User
from newsdesk.store.sessions import LAST_SEEN_PRECISION, WebSession
from newsdesk.times import utcnow
from newsdesk.web.auth.csrf import CSRF_HEADER, csrf_header_valid
from newsdesk.web.auth.limits import client_address, throttled
from newsdesk.web.auth.passwords import DUMMY_HASH, verify_password
from newsdesk.web.auth.sessions import session_key_hash
from newsdesk.web.auth.tokens import bearer_token, greader_auth_token, hash_token
from newsdesk.web.errors import api_error
from newsdesk.web.kept import KeptWhileUnchanged
from newsdesk.web.state import get_store

if TYPE_CHECKING:
    from newsdesk.store import Store

log = logging.getLogger("newsdesk.web")

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class SignedIn:
    """The user and session behind each session cookie. Every page asks, so an answer is kept
    per worker while the database stays as it was (an ended session is a commit, which every
    worker sees at once); where changes cannot be told (PostgreSQL) it is read each time.
    "Last seen" is written at most once a minute, by a background thread: a page never waits
    for the database's write lock."""

    SIZE = 1000

    def __init__(self) -> None:
        self._kept = KeptWhileUnchanged(self.SIZE)
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="newsdesk-last-seen")
        self._lock = threading.Lock()
        self._touching: set[int] = set()

    def get(self, store: Store, key_hash: str, address: str) -> tuple[User, WebSession] | None:
        found = self._kept.get(
            store, key_hash, partial(_stored_session, store, key_hash), keep_none=False
        )
        if found is not None and utcnow() - found[1].last_seen_at >= LAST_SEEN_PRECISION:
            self._touch(store, found[1], address)
        return found

    def _touch(self, store: Store, session: WebSession, address: str) -> None:
        with self._lock:
            if session.id in self._touching:
                return
            self._touching.add(session.id)

        def write() -> None:
            try:
                store.touch_session(session, address)
            except Exception:  # noqa: BLE001 - a missed "last seen" must not reach the page
                log.warning("could not note when session %s was last seen", session.id)
            finally:
                with self._lock:
                    self._touching.discard(session.id)

        self._writer.submit(write)

    def close(self) -> None:
        self._writer.shutdown(wait=True)


def _stored_session(store: Store, key_hash: str) -> tuple[User, WebSession] | None:
    try:
        return store.session_user(key_hash)
    except NotFoundError:
        return None


def signed_in_session(request: Request) -> tuple[User, WebSession] | None:
    """The user and session the session cookie names; None for an anonymous visitor, a forged
    or expired cookie, or a session that was ended."""
    if "newsdesk.signed_in" in request.scope:
        return request.scope["newsdesk.signed_in"]
    key_hash = session_key_hash(request)
    found = None
    if key_hash is not None:
        signed: SignedIn = request.app.state.signed_in
        found = signed.get(get_store(request), key_hash, client_address(request))
    request.scope["newsdesk.signed_in"] = found
    return found


def current_user(request: Request) -> User | None:
    """The user the session cookie names, or None for an anonymous visitor."""
    found = signed_in_session(request)
    return found[0] if found else None


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
    user = throttled(request, "", partial(_token_owner, request, token))
    if user is None:
        raise api_error(401, "the API token is not valid", {"WWW-Authenticate": "Bearer"})
    return user


def _token_owner(request: Request, token: str) -> User | None:
    try:
        return get_store(request).user_by_token_hash(hash_token(token))
    except NotFoundError:
        return None


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
    user = throttled(request, username, partial(check_api_password, request, username, password))
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
    compute = partial(_greader_token_user, request, token)
    if cache is None:
        return throttled(request, "", compute)
    key = ("greader token", token)
    return throttled(
        request, "", partial(cache.kept, get_store(request), key, compute, keep_none=False)
    )


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
    """The owner of a Fever api_key; None without one. A wrong key counts against the
    address (TooManyAttempts once it has too many)."""
    if not api_key:
        return None
    return throttled(request, "", partial(_fever_key_owner, request, api_key))


def _fever_key_owner(request: Request, api_key: str) -> User | None:
    if len(api_key) != 32:
        return None
    try:
        return get_store(request).user_by_fever_key(api_key.lower())
    except NotFoundError:
        return None
