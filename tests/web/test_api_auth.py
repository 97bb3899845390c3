"""API authentication helpers: tokens, Google Reader tokens and ids, the error shape."""

from __future__ import annotations

import pytest
from fastapi import HTTPException

from newsdesk.model import User
from newsdesk.web.auth.passwords import hash_password
from newsdesk.web.auth.tokens import greader_action_token, greader_auth_token, hash_token, new_token
from newsdesk.web.greader.ids import long_item_id, parse_item_id
from tests.web import http
from tests.web.conftest import ADMIN, ADMIN_API_PASSWORD, LiveServer


def test_new_tokens_are_random_and_only_their_hash_is_kept() -> None:
    first, first_hash = new_token()
    second, _ = new_token()
    assert first != second and first.startswith("nd_") and len(first) > 40
    assert first_hash == hash_token(first) and first not in first_hash


def test_greader_token_changes_with_the_api_password() -> None:
    user = User(id=1, username="ann")
    one = greader_auth_token(user, hash_password("first api password"))
    two = greader_auth_token(user, hash_password("first api password"))  # new salt
    assert one.startswith("ann/") and one != two
    assert len(greader_action_token(one)) == 57


def test_item_id_round_trip() -> None:
    assert long_item_id(1234) == "tag:google.com,2005:reader/item/00000000000004d2"
    assert parse_item_id(long_item_id(1234)) == 1234
    assert parse_item_id("tag:google.com,2005:reader/item/4d2") == 1234
    assert parse_item_id("00000000000004d2") == 1234
    assert parse_item_id("1234") == 1234
    assert parse_item_id("4d2") == 1234  # bare hex, unpadded (NetNewsWire), as FreshRSS reads it
    assert parse_item_id("abc") == 0xABC
    for bad in ("", "xyz", "-5", "0", "0x10", "tag:google.com,2005:reader/item/zz", "9" * 30):
        with pytest.raises(HTTPException) as caught:
            parse_item_id(bad)
        assert caught.value.status_code == 400


def test_wrong_credentials_for_each_interface(live: LiveServer) -> None:
    for headers in (
        {"Authorization": "Bearer nd_not-a-token"},
        {"Authorization": "Basic !!!"},
        {"Authorization": "Basic " + "YWRtaW46d3Jvbmc="},  # admin:wrong
    ):
        answer = http.get(f"{live.url}/all.atom", headers=headers)
        assert answer.status_code == 401, headers
        assert answer.json()["error"]
    login = http.post(
        f"{live.url}/api/greader/accounts/ClientLogin",
        data={"Email": ADMIN, "Passwd": ADMIN_API_PASSWORD + "x"},
    )
    assert login.status_code == 401
    unauth = http.get(f"{live.url}/api/greader/reader/api/0/user-info")
    assert unauth.status_code == 401 and unauth.headers["google-bad-token"] == "true"
