"""Accounts and sessions: password hashing, signed session cookies, CSRF tokens, sign-in limits.

Routes: GET/POST /login, POST /logout, GET /settings (own API password, own login password),
POST /users (admin adds an account). The first account is made on first start by
`ensure_admin`, from NEWSDESK_ADMIN_USER / NEWSDESK_ADMIN_PASSWORD or with a password printed once.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import sys
import threading
import time
from collections import deque
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi import Path as PathParam
from fastapi.responses import RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from newsdesk.config import Settings
from newsdesk.errors import NewsdeskError, NotFoundError
from newsdesk.model import User
from newsdesk.web.deps import SESSION_COOKIE, current_user, require_admin, require_user

log = logging.getLogger("newsdesk.web")

CSRF_COOKIE = "newsdesk_csrf"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
SESSION_MAX_AGE = 30 * 24 * 3600
SECRET_FILE = "secret_key"

MIN_PASSWORD_LENGTH = 8
USERNAME_MAX = 64

# Cheaper than argon2's defaults but still a memory-hard KDF; signing in stays under ~50 ms.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


# --- passwords ---------------------------------------------------------------------------


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def fever_api_key(username: str, api_password: str) -> str:
    """Fever's api_key: md5 of "user:password" (the protocol fixes this, not our choice)."""
    return hashlib.md5(f"{username}:{api_password}".encode()).hexdigest()  # noqa: S324


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")


def check_username(username: str) -> str:
    name = username.strip()
    if not name or len(name) > USERNAME_MAX or any(ch.isspace() or ch in ":/" for ch in name):
        raise ValueError(
            f"a user name is 1 to {USERNAME_MAX} characters, without spaces, ':' or '/'"
        )
    return name


# --- secrets and sessions -------------------------------------------------------------------


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

    def dump(self, user_id: int) -> str:
        return self._serializer.dumps({"uid": user_id})

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
            CSRF_COOKIE, nonce, httponly=True, samesite="lax", secure=_secure(request), path="/"
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


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def start_session(request: Request, response: Response, user: User) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        request.app.state.sessions.dump(user.id),
        max_age=SESSION_MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        path="/",
    )


# --- sign-in limits ---------------------------------------------------------------------


class LoginLimiter:
    """Failed sign-ins per (address, user name) and per address, in a sliding window."""

    def __init__(self, per_user: int = 5, per_address: int = 20, window: float = 900.0) -> None:
        self.per_user = per_user
        self.per_address = per_address
        self.window = window
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def retry_after(self, address: str, username: str) -> float:
        """Seconds to wait before another attempt is allowed; 0 when allowed now."""
        now = time.monotonic()
        with self._lock:
            waits = []
            for key, limit in (
                ((address, username.lower()), self.per_user),
                ((address, ""), self.per_address),
            ):
                times = self._recent(key, now)
                if len(times) >= limit:
                    waits.append(times[0] + self.window - now)
            return max(waits, default=0.0)

    def failed(self, address: str, username: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._recent((address, username.lower()), now).append(now)
            self._recent((address, ""), now).append(now)

    def succeeded(self, address: str, username: str) -> None:
        with self._lock:
            self._failures.pop((address, username.lower()), None)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


# --- the first account ----------------------------------------------------------------------


def ensure_admin(store: Any, settings: Settings) -> str | None:
    """Create the first (admin) account when there is none. Returns a generated password, if any.

    A generated password is printed once to standard error; it is not stored anywhere in clear.
    """
    if store.count_users() > 0:
        return None
    username = check_username(settings.admin_user or "admin")
    generated = None
    password = settings.admin_password
    if not password:
        password = generated = secrets.token_urlsafe(12)
    api_password = settings.admin_api_password
    try:
        store.create_user(
            username,
            hash_password(password),
            is_admin=True,
            api_password_hash=hash_password(api_password) if api_password else None,
            fever_api_key=fever_api_key(username, api_password) if api_password else None,
        )
    except NewsdeskError:
        if store.count_users() > 0:
            return None  # another web worker starting at the same moment made it
        raise
    if generated:
        print(
            f"newsdesk: created the admin account {username!r} with password {generated!r} "
            "(shown once; set NEWSDESK_ADMIN_PASSWORD to choose it)",
            file=sys.stderr,
            flush=True,
        )
    log.info("created the admin account %r", username)
    return generated


def authenticate(store: Any, username: str, password: str) -> User | None:
    try:
        user = store.find_user(username)
    except NotFoundError:
        # spend the same time as a real check so timing does not reveal which names exist
        verify_password(_DUMMY_HASH, password)
        return None
    if not verify_password(store.user_password_hash(user.id), password):
        return None
    return user


_DUMMY_HASH = hash_password(secrets.token_urlsafe(16))


# --- routes ---------------------------------------------------------------------------------

router = APIRouter(include_in_schema=False)


def safe_next(target: str | None) -> str:
    """Only same-site paths may be a redirect target after signing in."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target:
        return "/"
    return target


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
    store = request.app.state.store
    limiter: LoginLimiter = request.app.state.login_limiter
    address = client_address(request)
    target = safe_next(next)
    wait = limiter.retry_after(address, username)
    if wait > 0:
        minutes = max(1, int(wait // 60) + 1)
        return request.app.state.render(
            request,
            "login.html",
            {
                "next": target,
                "username": username,
                "error": f"Too many failed sign-ins. Try again in {minutes} minutes.",
            },
            status_code=429,
            headers={"Retry-After": str(int(wait) + 1)},
        )
    user = authenticate(store, username.strip(), password)
    if user is None:
        limiter.failed(address, username)
        return request.app.state.render(
            request,
            "login.html",
            {"next": target, "username": username, "error": "Wrong user name or password."},
            status_code=401,
        )
    limiter.succeeded(address, username)
    response = RedirectResponse(target, status_code=303)
    start_session(request, response, user)
    return response


@router.post("/logout", dependencies=[Depends(csrf_protect)])
def logout(request: Request):
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def render_settings(request: Request, user: User, status: int = 200, **extra: Any) -> Response:
    """The settings page: the user's API tokens (names and times, never the secrets) and, for
    an administrator, the accounts."""
    store = request.app.state.store
    context: dict[str, Any] = {
        "user": user,
        "users": store.list_users() if user.is_admin else [],
        "tokens": store.list_api_tokens(user.id),
    }
    context.update(extra)
    return request.app.state.render(request, "settings.html", context, status_code=status)


@router.get("/settings")
def settings_page(request: Request, user: User = Depends(require_user), done: str = ""):
    return render_settings(request, user, done=done[:200])


def _settings_error(request: Request, user: User, message: str, status: int = 400) -> Response:
    return render_settings(request, user, status, error=message)


@router.post("/settings/password", dependencies=[Depends(csrf_protect)])
def change_password(
    request: Request,
    current: str = Form("", max_length=1000),
    new: str = Form("", max_length=1000),
    user: User = Depends(require_user),
):
    store = request.app.state.store
    if not verify_password(store.user_password_hash(user.id), current):
        return _settings_error(request, user, "The current password is not right.")
    try:
        check_new_password(new)
    except ValueError as exc:
        return _settings_error(request, user, f"New password not saved: {exc}.")
    store.set_user_password(user.id, hash_password(new))
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
    request.app.state.store.set_api_password(
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
    store = request.app.state.store
    try:
        name = check_username(username)
        check_new_password(password)
    except ValueError as exc:
        return _settings_error(request, admin, f"Account not added: {exc}.")
    try:
        store.find_user(name)
    except NotFoundError:
        pass
    else:
        return _settings_error(request, admin, f"Account not added: {name!r} already exists.", 409)
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
    from newsdesk.web.api_auth import new_token  # api_auth builds on this module

    token, token_hash = new_token()
    request.app.state.store.create_api_token(user.id, token_hash, name.strip())
    return render_settings(request, user, new_token=token)


@router.post("/settings/tokens/{token_id}/delete", dependencies=[Depends(csrf_protect)])
def revoke_token(
    request: Request,
    token_id: int = PathParam(ge=1, le=2**63 - 1),
    user: User = Depends(require_user),
):
    """Revoke one of the user's own tokens (another user's is "not found", like a wrong id)."""
    try:
        request.app.state.store.delete_api_token(user.id, token_id)
    except NotFoundError:
        return _settings_error(request, user, "That token does not exist or was revoked.", 404)
    return RedirectResponse("/settings?done=token-revoked", status_code=303)
