"""Every failure becomes a clear answer in one shape: an HTML page for people, and for the APIs
(every path under /api) 4xx JSON {"error": "<one line>"}.

Nothing a visitor sends produces a stack trace: validation problems say which field and why,
newsdesk's own errors keep their one-line message, and an unexpected fault is logged and
answered with a plain 500 page that reveals nothing. `ApiRoute` gives an API's routes the JSON
shape whatever they raise; `install_error_handlers` answers everything else.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsdesk.errors import NewsdeskError, NotFoundError

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


class LoginRequired(HTTPException):
    """No valid session. HTML pages answer with a redirect to /login, /api paths with 401 JSON."""

    def __init__(self) -> None:
        super().__init__(status_code=401, detail="sign in first")


class AdminRequired(HTTPException):
    def __init__(self) -> None:
        super().__init__(status_code=403, detail="only an administrator can do that")


def is_api_path(request: Request) -> bool:
    """Whether the request is to an API (answered in JSON) rather than to a page."""
    path = request.url.path
    return path == "/api" or path.startswith("/api/")


# --- the JSON shape -------------------------------------------------------------------------


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
        (413, "Request body too large"),
        (422, "Invalid parameters"),
        (429, "Too many failed credential checks from this address: wait Retry-After seconds"),
    )
}


def api_error(status: int, message: str, headers: dict[str, str] | None = None) -> HTTPException:
    return HTTPException(status_code=status, detail=message, headers=headers)


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


PLACES = {"query": "query parameter", "path": "path parameter", "header": "header",
          "cookie": "cookie", "body": "body"}  # fmt: skip


def validation_message(exc: RequestValidationError, *, form: bool = False) -> str:
    """The first problem of a request, as one line saying where and what ("query parameter
    feed: ..."). A page's form fields are named as such ("form field title: ..."); a JSON
    body's fields by their own names."""
    errors = exc.errors()
    if not errors:
        return "invalid request"
    first = errors[0]
    loc = [str(part) for part in first.get("loc", ())]
    if form and loc[:1] == ["body"]:
        where, name = "form field", ".".join(loc[1:])
    else:
        if len(loc) > 1:
            loc = [part for part in loc if part != "body"]
        where = PLACES.get(loc[0], loc[0]) if loc else "request"
        name = ".".join(loc[1:])
    message = str(first.get("msg", "invalid value"))
    return f"{where} {name}: {message}".replace("  ", " ") if name else f"{where}: {message}"


# what a reader's page says of a value it cannot take, by pydantic's error type
PLAIN = {
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_parsing": "must be a number",
    "bool_parsing": "must be 1 or 0",
    "string_too_long": "is too long",
    "greater_than_equal": "is too small",
    "greater_than": "is too small",
    "less_than_equal": "is too large",
    "less_than": "is too large",
    "missing": "is missing",
    "datetime_parsing": "must be a date and time like 2025-03-31T12:00",
    "date_parsing": "must be a date like 2025-03-31",
}
NAMES = {"q": "search"}  # fields whose name says little to a reader
# where a reader's page says the value was
WHERE = {"query": "in the address", "path": "in the address", "body": "in the form"}


def plain_message(exc: RequestValidationError) -> str:
    """The first problem of a page's request as one sentence a reader follows: what, where and
    what it must be ("The feed in the address must be a whole number, not 'abc'.")."""
    errors = exc.errors()
    if not errors:
        return "That request is not one newsdesk can answer."
    first = errors[0]
    loc = [str(part) for part in first.get("loc", ())]
    name = " ".join(NAMES.get(part, part) for part in loc[1:]).replace("_", " ") or "request"
    where = WHERE.get(loc[0], "") if loc else ""
    rule = PLAIN.get(str(first.get("type", "")))
    if rule is None:
        return f"The {name} {where} is not right: {first.get('msg', 'invalid value')}."
    given = first.get("input")
    shown = f", not {str(given)[:40]!r}" if isinstance(given, str | int) and given != "" else ""
    return f"The {name} {where} {rule}{shown}.".replace("  ", " ")


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
                return error_response(422, validation_message(exc))
            except HTTPException as exc:
                return error_response(exc.status_code, _detail_text(exc.detail), exc.headers)
            except NotFoundError as exc:
                return error_response(404, str(exc))
            except NewsdeskError as exc:
                return error_response(400, str(exc))

        return guarded


# --- every other answer ---------------------------------------------------------------------


def error_page(
    request: Request, status: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    if is_api_path(request):
        return error_response(status, message, headers)
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
        if not is_api_path(request) and request.method in ("GET", "HEAD"):
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
        if is_api_path(request):
            return error_page(request, 422, validation_message(exc))
        return error_page(request, 400, plain_message(exc))

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
