"""Who is calling an API, and the one error shape every API answers with.

- /api/v1: `Authorization: Bearer <token>` (tokens from the api_tokens table, stored hashed),
  or the browser's session cookie (writes then need the CSRF header, as forms do).
- Google Reader and Fever: the user's API password, separate from the login password
  (as FreshRSS does). Google Reader gets "user/<hmac>" from ClientLogin; Fever sends
  md5("user:apipassword") as api_key.
- Output feeds: session, bearer token, or HTTP Basic with the API password (feed readers).

Errors leave every API as 4xx JSON {"error": "<one line>"}: `ApiRoute` turns validation
errors, HTTP exceptions and newsdesk's own errors into that shape.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from collections.abc import Callable, Coroutine
from functools import partial
from typing import Any

from fastapi import HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.responses import Response

from newsdesk.errors import NewsdeskError, NotFoundError
from newsdesk.model import User
from newsdesk.web.auth import CSRF_COOKIE, CSRF_HEADER, verify_password
from newsdesk.web.deps import current_user

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


# --- the error shape ------------------------------------------------------------------------


class ErrorOut(BaseModel):
    error: str


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": description}
    for status, description in (
        (400, "Bad input"),
        (401, "Not authenticated"),
        (403, "Not allowed"),
        (404, "Not found"),
        (409, "Conflict"),
        (422, "Invalid parameters"),
    )
}


def api_error(status: int, message: str, headers: dict[str, str] | None = None) -> HTTPException:
    return HTTPException(status_code=status, detail=message, headers=headers)


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


PLACES = {"query": "query parameter", "path": "path parameter", "header": "header",
          "cookie": "cookie", "body": "body"}  # fmt: skip


def describe_validation(exc: RequestValidationError) -> str:
    """The first problem of a request, as one line saying where and what."""
    errors = exc.errors()
    if not errors:
        return "invalid request"
    first = errors[0]
    loc = [str(part) for part in first.get("loc", ()) if part != "body" or len(first["loc"]) == 1]
    where = PLACES.get(loc[0], loc[0]) if loc else "request"
    name = ".".join(loc[1:])
    message = str(first.get("msg", "invalid value"))
    return f"{where} {name}: {message}".replace("  ", " ") if name else f"{where}: {message}"


def _detail_text(detail: Any) -> str:
    if isinstance(detail, str):
        return detail
    if isinstance(detail, dict) and "error" in detail:
        return str(detail["error"])
    return str(detail)


class ApiRoute(APIRoute):
    """A route whose every failure is a JSON {"error": ...} answer, never a stack trace."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                return error_response(422, describe_validation(exc))
            except HTTPException as exc:
                return error_response(exc.status_code, _detail_text(exc.detail), exc.headers)
            except NotFoundError as exc:
                return error_response(404, str(exc))
            except NewsdeskError as exc:
                return error_response(400, str(exc))

        return guarded


# --- API tokens (/api/v1) -------------------------------------------------------------------


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


def token_user(request: Request) -> User | None:
    """The owner of the bearer token, None without one; 401 for a token that is not valid."""
    token = bearer_token(request)
    if token is None:
        return None
    try:
        return request.app.state.store.user_by_token_hash(hash_token(token))
    except NotFoundError:
        raise api_error(401, "the API token is not valid", {"WWW-Authenticate": "Bearer"}) from None


def _csrf_ok(request: Request) -> bool:
    sessions = request.app.state.sessions
    return sessions.csrf_valid(request.cookies.get(CSRF_COOKIE), request.headers.get(CSRF_HEADER))


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
    if request.method not in SAFE_METHODS and not _csrf_ok(request):
        raise api_error(403, f"a signed-in browser must send the {CSRF_HEADER} header to write")
    return user


# --- API passwords (Google Reader, Fever, feed readers) -------------------------------------


def api_password_hash(request: Request, user: User) -> str | None:
    return request.app.state.store.user_api_password_hash(user.id)


def check_api_password(request: Request, username: str, password: str) -> User | None:
    """The user whose API password this is, or None. Never the login password."""
    store = request.app.state.store
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


# --- Google Reader auth tokens --------------------------------------------------------------


def greader_auth_token(user: User, password_hash: str) -> str:
    """ "username/<hmac>": stable until the API password changes, which revokes it."""
    digest = hmac.new(password_hash.encode(), b"greader:" + user.username.encode(), "sha256")
    return f"{user.username}/{digest.hexdigest()}"


def greader_action_token(auth_token: str) -> str:
    """The "T" token of write calls, derived from the auth token."""
    return hashlib.sha256(b"greader-action:" + auth_token.encode()).hexdigest()[:57]


def greader_user_for_token(request: Request, token: str) -> User | None:
    """The user a Google Reader auth token is valid for. Clients send it with every call: a
    valid token is kept per worker while the database stays as it was (a new API password, or
    any other change, checks it again); a wrong one is never kept."""
    cache = getattr(request.app.state, "view_cache", None)
    if cache is None:
        return _greader_token_user(request, token)
    key = ("greader token", token)
    compute = partial(_greader_token_user, request, token)
    return cache.kept(request.app.state.store, key, compute, keep_none=False)


def _greader_token_user(request: Request, token: str) -> User | None:
    username, sep, _ = token.partition("/")
    if not sep:
        return None
    try:
        user, password_hash = request.app.state.store.find_user_with_api_password_hash(username)
    except NotFoundError:
        return None
    if not password_hash:
        return None
    if not hmac.compare_digest(greader_auth_token(user, password_hash), token):
        return None
    return user


def googlelogin_token(request: Request) -> str | None:
    """The token of "Authorization: GoogleLogin auth=<token>"."""
    scheme, _, rest = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "googlelogin":
        return None
    key, _, token = rest.strip().partition("=")
    return token.strip() if key.strip().lower() == "auth" and token.strip() else None


# --- Fever ----------------------------------------------------------------------------------


def fever_user(request: Request, api_key: str | None) -> User | None:
    if not api_key or len(api_key) != 32:
        return None
    try:
        return request.app.state.store.user_by_fever_key(api_key.lower())
    except NotFoundError:
        return None
