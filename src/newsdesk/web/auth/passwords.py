"""Passwords: argon2 hashes, the rules for a new password and a user name, Fever's api_key."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD_LENGTH = 8
USERNAME_MAX = 64

# Cheaper than argon2's defaults but still a memory-hard KDF; signing in stays under ~50 ms.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# checked when a name is unknown, so that signing in takes as long as for a real account
DUMMY_HASH = hash_password(secrets.token_urlsafe(16))


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
