"""The first account: made on first start, so that someone can sign in."""

from __future__ import annotations

import logging
import secrets
import sys
from typing import TYPE_CHECKING

from newsdesk.config import Settings
from newsdesk.errors import NewsdeskError
from newsdesk.web.auth.passwords import check_username, fever_api_key, hash_password

if TYPE_CHECKING:
    from newsdesk.store import Store

log = logging.getLogger("newsdesk.web")


def ensure_admin(store: Store, settings: Settings) -> str | None:
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
