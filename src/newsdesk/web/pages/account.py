"""Signing in and out, and the settings page: the user's passwords and API tokens, and for an
administrator the accounts.

Routes: GET/POST /login, POST /logout, GET /settings (own API password, own login password,
API tokens, signed-in browsers), POST /users (admin adds an account), POST /users/{id}/sign-out
(admin ends every session of an account), POST /users/{id}/delete (admin removes an account).
"""

from __future__ import annotations

import contextlib
from functools import partial
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi import Path as PathParam
from fastapi.responses import RedirectResponse, Response

from newsdesk.errors import InputError, NewsdeskError, NotFoundError
from newsdesk.inputs import MAX_ID
from newsdesk.model import User
from newsdesk.web.auth.accounts import remove_account
from newsdesk.web.auth.csrf import csrf_protect
from newsdesk.web.auth.identity import authenticate, current_user, signed_in_session
from newsdesk.web.auth.limits import TooManyAttempts, throttled
from newsdesk.web.auth.passwords import (
    check_new_password,
    check_username,
    fever_api_key,
    hash_password,
    verify_password,
)
from newsdesk.web.auth.sessions import end_session, start_session
from newsdesk.web.auth.tokens import new_token
from newsdesk.web.deps import require_admin, require_user
from newsdesk.web.pages.common import safe_next
from newsdesk.web.state import get_store

router = APIRouter(include_in_schema=False)


@router.get("/login")
def login_page(request: Request, next: str = "/", user: User | None = Depends(current_user)):
    if user is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return request.app.state.render(request, "login.html", {"next": safe_next(next)})


@router.post("/login", dependencies=[Depends(csrf_protect)])
def login_submit(
    request: Request,
    username: str = Form("", max_length=200),
    password: str = Form("", max_length=1000),
    next: str = Form("/", max_length=2000),
):
    store = get_store(request)
    target = safe_next(next)
    try:
        check = partial(authenticate, store, username.strip(), password)
        user = throttled(request, username, check)
    except TooManyAttempts as exc:
        minutes = max(1, exc.retry_after // 60 + 1)
        return request.app.state.render(
            request,
            "login.html",
            {
                "next": target,
                "username": username,
                "error": f"Too many failed sign-ins. Try again in {minutes} minutes.",
            },
            status_code=429,
            headers={"Retry-After": str(exc.retry_after)},
        )
    if user is None:
        return request.app.state.render(
            request,
            "login.html",
            {"next": target, "username": username, "error": "Wrong user name or password."},
            status_code=401,
        )
    response = RedirectResponse(target, status_code=303)
    start_session(request, response, user)
    return response


@router.post("/logout", dependencies=[Depends(csrf_protect)])
def logout(request: Request):
    """End this browser's session: the cookie goes, and so does the stored session, so a copy
    of the cookie kept anywhere stops working too."""
    found = signed_in_session(request)
    if found is not None:
        user, session = found
        with contextlib.suppress(NotFoundError):  # ended meanwhile from another browser
            get_store(request).end_session(user.id, session.id)
    return _signed_out()


def _signed_out() -> Response:
    """To the sign-in page, the session cookie taken off this browser."""
    response = RedirectResponse("/login", status_code=303)
    end_session(response)
    return response


def render_settings(request: Request, user: User, status: int = 200, **extra: Any) -> Response:
    """The settings page: the user's API tokens (names and times, never the secrets) and, for
    an administrator, the accounts."""
    store = get_store(request)
    context: dict[str, Any] = {
        "user": user,
        "users": store.list_users() if user.is_admin else [],
        "tokens": store.list_api_tokens(user.id),
        "sessions": store.list_sessions(user.id),
        "this_session": _this_session_id(request),
        "page_url": "/settings",  # also the answer to its forms: the address stays /settings
    }
    context.update(extra)
    return request.app.state.render(request, "settings.html", context, status_code=status)


@router.get("/settings")
def settings_page(request: Request, user: User = Depends(require_user), done: str = ""):
    return render_settings(request, user, done=done[:200])


def _settings_error(
    request: Request, user: User, message: str, status: int = 400, **typed: str
) -> Response:
    """The settings page with one sentence on what went wrong, and what was typed kept."""
    return render_settings(request, user, status, error=message, **typed)


@router.post("/settings/reading", dependencies=[Depends(csrf_protect)])
def save_reading(
    request: Request,
    text_size: str = Form("normal", max_length=20),
    width: str = Form("normal", max_length=20),
    show_images: str = Form("yes", max_length=20),
    river_view: str = Form("stories", max_length=20),
    user: User = Depends(require_user),
):
    """Text size, page width, images and the river's view, applied to every page."""
    try:
        get_store(request).save_reading_settings(
            user.id,
            text_size=text_size,
            width=width,
            show_images=show_images,
            river_view=river_view,
        )
    except InputError as exc:
        return _settings_error(request, user, f"Not saved: {exc}.")
    return RedirectResponse("/settings?done=reading", status_code=303)


@router.post("/settings/password", dependencies=[Depends(csrf_protect)])
def change_password(
    request: Request,
    current: str = Form("", max_length=1000),
    new: str = Form("", max_length=1000),
    user: User = Depends(require_user),
):
    store = get_store(request)
    if not verify_password(store.user_password_hash(user.id), current):
        return _settings_error(request, user, "The current password is not right.")
    try:
        check_new_password(new)
    except ValueError as exc:
        return _settings_error(request, user, f"New password not saved: {exc}.")
    store.set_user_password(user.id, hash_password(new))
    # whoever else signed in with the old password is signed out; this browser stays
    store.end_sessions(user.id, keep=_this_session_id(request))
    return RedirectResponse("/settings?done=password", status_code=303)


@router.post("/settings/api-password", dependencies=[Depends(csrf_protect)])
def change_api_password(
    request: Request,
    api_password: str = Form("", max_length=1000),
    user: User = Depends(require_user),
):
    try:
        check_new_password(api_password)
    except ValueError as exc:
        return _settings_error(request, user, f"API password not saved: {exc}.")
    get_store(request).set_api_password(
        user.id, hash_password(api_password), fever_api_key(user.username, api_password)
    )
    return RedirectResponse("/settings?done=api-password", status_code=303)


@router.post("/users", dependencies=[Depends(csrf_protect)])
def add_user(
    request: Request,
    username: str = Form("", max_length=200),
    password: str = Form("", max_length=1000),
    is_admin: str = Form(""),
    admin: User = Depends(require_admin),
):
    store = get_store(request)
    try:
        name = check_username(username)
        check_new_password(password)
    except ValueError as exc:
        return _settings_error(
            request, admin, f"Account not added: {exc}.", typed_username=username.strip()
        )
    try:
        store.find_user(name)
    except NotFoundError:
        pass
    else:
        return _settings_error(
            request, admin, f"Account not added: {name!r} already exists.", 409, typed_username=name
        )
    try:
        store.create_user(name, hash_password(password), is_admin=bool(is_admin))
    except NewsdeskError as exc:
        return _settings_error(request, admin, f"Account not added: {exc}.")
    return RedirectResponse("/settings?done=user", status_code=303)


@router.post("/settings/tokens", dependencies=[Depends(csrf_protect)])
def create_token(
    request: Request,
    name: str = Form("", max_length=100),
    user: User = Depends(require_user),
):
    """A token for the JSON API (Authorization: Bearer ...), shown on this page once."""
    token, token_hash = new_token()
    get_store(request).create_api_token(user.id, token_hash, name.strip())
    return render_settings(request, user, new_token=token)


@router.post("/settings/tokens/{token_id}/delete", dependencies=[Depends(csrf_protect)])
def revoke_token(
    request: Request,
    token_id: int = PathParam(ge=1, le=MAX_ID),
    user: User = Depends(require_user),
):
    """Revoke one of the user's own tokens (another user's is "not found", like a wrong id)."""
    try:
        get_store(request).delete_api_token(user.id, token_id)
    except NotFoundError:
        return _settings_error(request, user, "That token does not exist or was revoked.", 404)
    return RedirectResponse("/settings?done=token-revoked", status_code=303)


def _this_session_id(request: Request) -> int | None:
    found = signed_in_session(request)
    return found[1].id if found else None


@router.post("/settings/sessions/{session_id}/end", dependencies=[Depends(csrf_protect)])
def end_one_session(
    request: Request,
    session_id: int = PathParam(ge=1, le=MAX_ID),
    user: User = Depends(require_user),
):
    """End one of the user's own sessions (another user's is "not found", like a wrong id)."""
    try:
        get_store(request).end_session(user.id, session_id)
    except NotFoundError:
        return _settings_error(request, user, "That session does not exist or has ended.", 404)
    if session_id == _this_session_id(request):
        return _signed_out()
    return RedirectResponse("/settings?done=session-ended", status_code=303)


@router.post("/settings/sessions/end-others", dependencies=[Depends(csrf_protect)])
def end_other_sessions(request: Request, user: User = Depends(require_user)):
    """Sign out every other browser of this user."""
    get_store(request).end_sessions(user.id, keep=_this_session_id(request))
    return RedirectResponse("/settings?done=sessions-ended", status_code=303)


@router.post("/users/{user_id}/sign-out", dependencies=[Depends(csrf_protect)])
def sign_out_everywhere(
    request: Request,
    user_id: int = PathParam(ge=1, le=MAX_ID),
    admin: User = Depends(require_admin),
):
    """An administrator ends every session of an account (their own too, this one included)."""
    store = get_store(request)
    try:
        store.get_user(user_id)
    except NotFoundError:
        return _settings_error(request, admin, "That account does not exist.", 404)
    store.end_sessions(user_id)
    if user_id == admin.id:
        return _signed_out()
    return RedirectResponse("/settings?done=signed-out", status_code=303)


@router.post("/users/{user_id}/delete", dependencies=[Depends(csrf_protect)])
def delete_account(
    request: Request,
    user_id: int = PathParam(ge=1, le=MAX_ID),
    admin: User = Depends(require_admin),
):
    """An administrator removes an account with its marks, tokens and sessions (not their own
    here: the settings page they are on would go with it)."""
    if user_id == admin.id:
        return _settings_error(request, admin, "You cannot remove your own account here.", 409)
    store = get_store(request)
    try:
        remove_account(store, store.get_user(user_id))
    except NotFoundError:
        return _settings_error(request, admin, "That account does not exist.", 404)
    except NewsdeskError as exc:
        return _settings_error(request, admin, f"Account not removed: {exc}.", 409)
    return RedirectResponse("/settings?done=user-removed#users-title", status_code=303)
