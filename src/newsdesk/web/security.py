"""Security headers on every response, and the CSRF cookie a rendered form was signed for.

A plain ASGI middleware (not BaseHTTPMiddleware) so it adds nothing measurable per request.
The Content-Security-Policy allows no inline script or style at all: the reader's one script
and one stylesheet come from /static. Images may come from publishers (thumbnails, lead images).
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsdesk.web.auth.csrf import set_csrf_cookie

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' https: http: data:",
        "connect-src 'self'",
        "font-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "manifest-src 'self'",
    ]
)

SECURITY_HEADERS: dict[str, str] = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    if name not in headers:
                        headers[name] = value
                path = scope.get("path", "")
                if not path.startswith("/static/") and "cache-control" not in headers:
                    # pages show per-user state: never from a shared cache
                    headers["cache-control"] = "no-store" if _html(headers) else "private"
                nonce = scope.get("newsdesk.new_csrf")
                if nonce:
                    cookie = Response()
                    set_csrf_cookie(Request(scope), cookie)
                    for key, value in cookie.raw_headers:
                        if key == b"set-cookie":
                            headers.append("set-cookie", value.decode("latin-1"))
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _html(headers: MutableHeaders) -> bool:
    return headers.get("content-type", "").startswith("text/html")
