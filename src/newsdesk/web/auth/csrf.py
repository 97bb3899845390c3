"""CSRF: a nonce in a cookie, and a token derived from it that every form and browser write
must send back (in the form field or the header)."""

from __future__ import annotations

import secrets

from fastapi import HTTPException, Request
from fastapi.responses import Response

from newsdesk.web.auth.sessions import is_https

CSRF_COOKIE = "newsdesk_csrf"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"


def csrf_nonce(request: Request) -> str:
    """The browser's CSRF nonce (from its cookie), or a new one that the response will set."""
    nonce = request.cookies.get(CSRF_COOKIE) or request.scope.get("newsdesk.new_csrf")
    if not nonce:
        nonce = secrets.token_urlsafe(24)
        request.scope["newsdesk.new_csrf"] = nonce
    return nonce


def csrf_token(request: Request) -> str:
    """The token every form carries (templates call this)."""
    return request.app.state.sessions.csrf_token(csrf_nonce(request))


def set_csrf_cookie(request: Request, response: Response) -> None:
    """Called by the security middleware: give the browser the nonce its forms were signed with."""
    nonce = request.scope.get("newsdesk.new_csrf")
    if nonce:
        response.set_cookie(
            CSRF_COOKIE, nonce, httponly=True, samesite="lax", secure=is_https(request), path="/"
        )


class CSRFError(HTTPException):
    def __init__(self) -> None:
        super().__init__(
            status_code=403,
            detail="the form had expired or did not come from this site; reload the page and retry",
        )


async def csrf_protect(request: Request) -> None:
    """Dependency for every state-changing form route: token in the form field or header."""
    token = request.headers.get(CSRF_HEADER)
    if not token:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        token = value if isinstance(value, str) else None
    if not request.app.state.sessions.csrf_valid(request.cookies.get(CSRF_COOKIE), token):
        raise CSRFError()


def csrf_header_valid(request: Request) -> bool:
    """Whether a script in a signed-in browser sent the right token in the CSRF header."""
    sessions = request.app.state.sessions
    return sessions.csrf_valid(request.cookies.get(CSRF_COOKIE), request.headers.get(CSRF_HEADER))
