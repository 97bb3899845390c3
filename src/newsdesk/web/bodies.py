"""Request bodies are bounded before they are read, and the JSON API knows its caller first.

- `BodyLimit` (ASGI middleware): a body declared (Content-Length) over
  `settings.max_request_bytes` is answered 413 at once, unread; a body sent without a length
  (chunked) is counted as it arrives, and the read that passes the limit fails with 413. Nothing
  holds more than the limit, whatever a client sends.
- `AuthenticatedRoute`: FastAPI reads and parses a route's body before any dependency runs, so
  /api/v1 would parse whatever anyone sends before asking who sent it. This route checks the
  caller before the body is read, and answers 401/403 without reading it.
- `small_form`: where the credential itself is in the form (Fever's api_key, Google Reader's
  ClientLogin fields or T token), the form read before the caller is known is capped at
  `FORM_BEFORE_AUTH_BYTES` (413 past it, the rest unread).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsdesk.fetch.decode import format_size
from newsdesk.web.auth.identity import require_api_user
from newsdesk.web.errors import ApiRoute, error_page, error_response

# What a form read before its sender is known may hold: the credential calls' fields are a few
# hundred bytes; 64 KB leaves room for the largest (Fever's 50 ids, a Reader call's T and ids).
FORM_BEFORE_AUTH_BYTES = 64 * 1024


def too_large(limit: int) -> HTTPException:
    return HTTPException(413, f"the request body is over {format_size(limit)}")


def declared_length(scope: Scope) -> int | None:
    """The Content-Length a request declares; None when it declares none (or a nonsense one,
    which the server refuses on its own)."""
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isascii() and text.isdigit() and len(text) < 20 else None
    return None


def carries_body(scope: Scope) -> bool:
    for name, value in scope.get("headers", ()):
        if name == b"transfer-encoding" or (name == b"content-length" and value.strip() != b"0"):
            return True
    return False


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = declared_length(scope)
        if declared is not None and declared > self.max_bytes:
            # answered unread: the server stops reading this connection and closes it
            exc = too_large(self.max_bytes)
            response = error_page(Request(scope), 413, exc.detail, {"Connection": "close"})
            await response(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise too_large(self.max_bytes)
            return message

        await self.app(scope, counted, send)


class AuthenticatedRoute(ApiRoute):
    """An /api/v1 route: a request with a body is authenticated before the body is read."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def caller_first(request: Request) -> Response:
            if carries_body(request.scope):
                try:
                    await run_in_threadpool(require_api_user, request)
                except HTTPException as exc:
                    return error_response(exc.status_code, str(exc.detail), exc.headers)
            return await handler(request)

        return caller_first


async def small_form(request: Request, limit: int = FORM_BEFORE_AUTH_BYTES) -> FormData:
    """The request's form, read only up to `limit` bytes: 413 (the rest unread) when it
    declares or sends more. For forms read before the caller is known."""
    declared = declared_length(request.scope)
    if declared is not None and declared > limit:
        raise too_large(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        chunks.append(chunk)
    request._body = b"".join(chunks)  # what request.form() parses, now that it is read
    return await request.form()
