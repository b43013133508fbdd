"""Password hashing with Argon2id (pwdlib's recommended settings)."""

from __future__ import annotations

import functools

from pwdlib import PasswordHash


@functools.lru_cache(maxsize=1)
def _hasher() -> PasswordHash:
    return PasswordHash.recommended()


@functools.lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher().hash("not-a-real-password")


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password: str, password_hash: str) -> tuple[bool, str | None]:
    """(matches, upgraded hash or None); a new hash is returned when the parameters changed."""
    return _hasher().verify_and_update(password, password_hash)


def burn_verify(password: str) -> None:
    """Spend the time of a real check, so an unknown email answers as slowly as a wrong password."""
    _hasher().verify(password, _dummy_hash())
