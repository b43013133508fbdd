"""Argon2 password hashing and opaque tokens."""

from __future__ import annotations

import pytest
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from socializioz.security import passwords
from socializioz.security.tokens import hash_token, new_token

pytestmark = pytest.mark.real_password_hashing  # these tests are about production's parameters


def test_hash_is_argon2id_and_verifies():
    hashed = passwords.hash_password("correct horse battery")
    assert hashed.startswith("$argon2id$") and "correct" not in hashed
    assert passwords.verify_password("correct horse battery", hashed) == (True, None)
    assert passwords.verify_password("wrong horse battery", hashed)[0] is False


def test_hash_with_old_parameters_is_upgraded():
    weak = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024),)).hash("pw-1234567890")
    valid, upgraded = passwords.verify_password("pw-1234567890", weak)
    assert valid and upgraded and upgraded != weak
    assert passwords.verify_password("pw-1234567890", upgraded) == (True, None)


def test_tokens_are_random_and_stored_as_sha256():
    raw = new_token()
    assert len(raw) >= 43 and raw != new_token()
    assert len(hash_token(raw)) == 64 and raw not in hash_token(raw)
    assert hash_token(raw) == hash_token(raw)
