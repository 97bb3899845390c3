"""Sessions: the secret key that signs them, and the signed cookie that carries a session's key.

The key is random; the store keeps its SHA-256 with the session's user, so that signing out, a
new password or an administrator can end a session (web/auth/identity.py finds the user).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from newsdesk.config import Settings
from newsdesk.model import User
from newsdesk.times import utcnow
from newsdesk.web.auth.limits import client_address
from newsdesk.web.auth.tokens import hash_token
from newsdesk.web.state import get_store

SESSION_COOKIE = "newsdesk_session"
SESSION_MAX_AGE = 30 * 24 * 3600
SECRET_FILE = "secret_key"


def load_secret_key(settings: Settings) -> str:
    """settings.secret_key, else a key generated once and kept (mode 0600) in the data folder."""
    if settings.secret_key:
        return settings.secret_key
    path = Path(settings.data_dir) / SECRET_FILE
    if path.is_file():
        key = path.read_text().strip()
        if key:
            return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # written beside and renamed into place only if still absent, so web workers starting at
    # once all end up with the one key (a session signed by one is valid in every other)
    spare = path.with_name(f".{SECRET_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(spare, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    try:
        os.link(spare, path)  # fails if another process got there first
    except FileExistsError:
        existing = path.read_text().strip()
        if existing:
            key = existing
        else:
            os.replace(spare, path)  # an empty file left behind by a crash
    finally:
        spare.unlink(missing_ok=True)
    return key


class Sessions:
    """Signs and checks session cookies and CSRF tokens with one secret."""

    VERIFIED_SIZE = 4096

    def __init__(self, secret: str) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="newsdesk.session")
        self._csrf_key = hashlib.sha256(b"newsdesk.csrf:" + secret.encode()).digest()
        # cookies whose signature checked out, with when they were signed: a browser sends the
        # same cookie with every request, and checking it again (HMAC, base64, JSON, dates)
        # cost more than the rest of a cached page. Only the age is checked again.
        self._verified: dict[str, tuple[dict[str, Any], float]] = {}

    def dump(self, key: str) -> str:
        return self._serializer.dumps({"key": key})

    def load(self, raw: str) -> dict[str, Any] | None:
        hit = self._verified.get(raw)
        if hit is not None:
            if time.time() - hit[1] <= SESSION_MAX_AGE:
                return dict(hit[0])
            self._verified.pop(raw, None)
        try:
            data, signed = self._serializer.loads(
                raw, max_age=SESSION_MAX_AGE, return_timestamp=True
            )
        except BadSignature:
            return None
        if not isinstance(data, dict):
            return None
        if len(self._verified) >= self.VERIFIED_SIZE:
            self._verified.clear()
        self._verified[raw] = (data, signed.timestamp())
        return dict(data)

    def csrf_token(self, nonce: str) -> str:
        return hmac.digest(self._csrf_key, nonce.encode(), "sha256").hex()  # one-shot: faster

    def csrf_valid(self, nonce: str | None, token: str | None) -> bool:
        if not nonce or not token:
            return False
        return hmac.compare_digest(self.csrf_token(nonce), token)


def session_data(request: Request) -> dict[str, Any] | None:
    """The verified contents of the session cookie, or None (missing, forged or expired)."""
    cached = request.scope.get("newsdesk.session", False)
    if cached is not False:
        return cached
    raw = request.cookies.get(SESSION_COOKIE)
    data = request.app.state.sessions.load(raw) if raw else None
    request.scope["newsdesk.session"] = data
    return data


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def start_session(request: Request, response: Response, user: User) -> None:
    """A new session for `user`, kept in the store and named by the cookie set on `response`."""
    key = secrets.token_urlsafe(32)
    get_store(request).create_session(
        user.id,
        hash_token(key),
        user_agent=request.headers.get("user-agent", ""),
        address=client_address(request),
        forget_before=utcnow() - timedelta(seconds=SESSION_MAX_AGE),
    )
    response.set_cookie(
        SESSION_COOKIE,
        request.app.state.sessions.dump(key),
        max_age=SESSION_MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=is_https(request),
        path="/",
    )


def session_key_hash(request: Request) -> str | None:
    """The stored hash of the key the session cookie carries; None without a valid cookie."""
    data = session_data(request)
    key = data.get("key") if data else None
    return hash_token(key) if isinstance(key, str) else None


def end_session(response: Response) -> None:
    """Take the cookie off the browser (the stored session is ended by the caller)."""
    response.delete_cookie(SESSION_COOKIE, path="/")
