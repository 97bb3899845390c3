"""Every failure becomes a clear answer: an HTML page for people, 4xx JSON for /api paths.

Nothing a visitor sends produces a stack trace: validation problems say which field and why,
newsdesk's own errors keep their one-line message, and an unexpected fault is logged and
answered with a plain 500 page that reveals nothing.
"""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsdesk.errors import NewsdeskError, NotFoundError
from newsdesk.web.deps import LoginRequired

log = logging.getLogger("newsdesk.web")

HEADINGS = {
    400: "Bad request",
    401: "Sign in needed",
    403: "Not allowed",
    404: "Not found",
    405: "Not allowed",
    409: "Already there",
    413: "Too large",
    422: "Bad input",
    429: "Too many attempts",
    500: "Something went wrong",
}


def wants_json(request: Request) -> bool:
    path = request.url.path
    return path == "/api" or path.startswith("/api/")


def validation_message(exc: RequestValidationError) -> str:
    """The first problem, as "where name: what" (e.g. "query parameter feed: not a number")."""
    for error in exc.errors():
        loc = [str(part) for part in error.get("loc", ())]
        where = {"query": "query parameter", "path": "path parameter", "body": "form field"}.get(
            loc[0] if loc else "", "input"
        )
        name = ".".join(loc[1:])
        message = str(error.get("msg", "invalid value"))
        return f"{where} {name}: {message}" if name else f"{where}: {message}"
    return "invalid request"


def error_page(request: Request, status: int, message: str, headers=None) -> Response:
    if wants_json(request):
        return JSONResponse({"error": message}, status_code=status, headers=headers)
    render = getattr(request.app.state, "render", None)
    heading = HEADINGS.get(status, "Error")
    if render is None:
        return Response(f"{heading}: {message}\n", status_code=status, media_type="text/plain")
    return render(
        request,
        "error.html",
        {"heading": heading, "message": message},
        status_code=status,
        headers=headers,
    )


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if not wants_json(request) and request.method in ("GET", "HEAD"):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
        return error_page(request, 401, str(exc.detail))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"there is nothing at {request.url.path}"
        elif exc.status_code == 405 and message == "Method Not Allowed":
            message = f"{request.method} is not allowed on {request.url.path}"
        return error_page(request, exc.status_code, message, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def bad_input(request: Request, exc: RequestValidationError) -> Response:
        status = 422 if wants_json(request) else 400
        return error_page(request, status, validation_message(exc))

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> Response:
        return error_page(request, 404, str(exc))

    @app.exception_handler(NewsdeskError)
    async def newsdesk_error(request: Request, exc: NewsdeskError) -> Response:
        return error_page(request, 400, str(exc))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("error serving %s %s", request.method, request.url.path)
        return error_page(
            request, 500, "newsdesk could not answer this request; the error is logged"
        )
