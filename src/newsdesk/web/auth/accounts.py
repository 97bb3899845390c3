"""The first account (made on first start, so that someone can sign in) and the rules for
removing one, shared by `newsdesk user` and the settings page."""

from __future__ import annotations

import logging
import secrets
import sys
from typing import TYPE_CHECKING

from newsdesk.config import Settings
from newsdesk.errors import NewsdeskError
from newsdesk.model import User
from newsdesk.web.auth.passwords import check_username, fever_api_key, hash_password

if TYPE_CHECKING:
    from newsdesk.store import Store

log = logging.getLogger("newsdesk.web")


def ensure_admin(store: Store, settings: Settings) -> str | None:
    """Create the first (admin) account when there is none. Returns a generated password, if any.

    A generated password is printed once to standard error; it is not stored anywhere in clear.
    """
    if store.count_users() > 0:
        if settings.admin_password:
            # said once at start: a changed variable would otherwise seem to do nothing
            print(
                "newsdesk: NEWSDESK_ADMIN_PASSWORD is ignored: accounts exist already "
                "(to set a password: newsdesk user passwd NAME)",
                file=sys.stderr,
                flush=True,
            )
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
            f"(shown once; to change it: newsdesk user passwd {username})",
            file=sys.stderr,
            flush=True,
        )
    log.info("created the admin account %r", username)
    return generated


def remove_account(store: Store, user: User) -> None:
    """Remove an account, unless it is the last administrator (no one could manage the rest)."""
    if user.is_admin and sum(u.is_admin for u in store.list_users()) <= 1:
        raise NewsdeskError(f"{user.username!r} is the last administrator; add another one first")
    store.delete_user(user.id)
