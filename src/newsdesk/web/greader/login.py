"""Signing in (ClientLogin), the action token of write calls, the caller's account."""

from __future__ import annotations

from functools import partial

from fastapi import Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.datastructures import FormData

from newsdesk.model import User
from newsdesk.web.auth.identity import check_api_password
from newsdesk.web.auth.limits import TooManyAttempts, throttled
from newsdesk.web.auth.tokens import greader_action_token, greader_auth_token
from newsdesk.web.bodies import small_form
from newsdesk.web.greader.routing import route, router, unauthorized
from newsdesk.web.state import get_store


@router.api_route("/accounts/ClientLogin", methods=["GET", "POST"])
async def client_login(request: Request) -> Response:
    # FreshRSS takes the fields from the query string too, and some apps sign in by GET
    # the credentials are in the form: what is read before they are checked is capped small
    form = await small_form(request) if request.method == "POST" else request.query_params
    username = str(form.get("Email") or request.query_params.get("Email") or "").strip()
    password = str(form.get("Passwd") or request.query_params.get("Passwd") or "")
    if not username or not password:
        return unauthorized("Email and Passwd are required")
    check = partial(check_api_password, request, username, password)
    try:
        user = throttled(request, username, check)
    except TooManyAttempts as exc:
        return JSONResponse(
            {"error": "too many failed sign-ins; wait and retry"},
            status_code=429,
            headers={"Retry-After": str(exc.retry_after)},
        )
    if user is None:
        return unauthorized("wrong user name or API password")
    token = greader_auth_token(user, get_store(request).user_api_password_hash(user.id))
    # Auth= lines whatever `output` asks: apps send output=json and read the lines, as
    # FreshRSS answers them
    return PlainTextResponse(f"SID={token}\nLSID={token}\nAuth={token}\n")


@route("/reader/api/0/token", ["GET"])
def token(request: Request, user: User, form: FormData) -> Response:
    return PlainTextResponse(greader_action_token(request.scope["newsdesk.greader_token"]))


@route("/reader/api/0/user-info", ["GET"])
def user_info(request: Request, user: User, form: FormData) -> Response:
    return JSONResponse(
        {
            "userId": str(user.id),
            "userName": user.username,
            "userProfileId": str(user.id),
            "userEmail": user.username,
            "isBloggerUser": False,
            "signupTimeSec": int(user.created_at.timestamp()) if user.created_at else 0,
        }
    )
