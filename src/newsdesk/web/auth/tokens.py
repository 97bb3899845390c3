"""Tokens: JSON API tokens (kept hashed), Google Reader's auth and action tokens, and the
Authorization headers that carry them."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Request

from newsdesk.model import User


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """A fresh API token and the hash the store keeps (the token itself is shown once)."""
    token = "nd_" + secrets.token_urlsafe(32)
    return token, hash_token(token)


def bearer_token(request: Request) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip() or None


def greader_auth_token(user: User, password_hash: str) -> str:
    """ "username/<hmac>": stable until the API password changes, which revokes it."""
    digest = hmac.new(password_hash.encode(), b"greader:" + user.username.encode(), "sha256")
    return f"{user.username}/{digest.hexdigest()}"


def greader_action_token(auth_token: str) -> str:
    """The "T" token of write calls, derived from the auth token."""
    return hashlib.sha256(b"greader-action:" + auth_token.encode()).hexdigest()[:57]


def googlelogin_token(request: Request) -> str | None:
    """The token of "Authorization: GoogleLogin auth=<token>"."""
    scheme, _, rest = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "googlelogin":
        return None
    key, _, token = rest.strip().partition("=")
    return token.strip() if key.strip().lower() == "auth" and token.strip() else None
