"""Finding 2: caps before parsing, and an e-mail check that is linear in the input."""

from __future__ import annotations

import time

import pytest

from socializioz.security.input_limits import MAX_EMAIL, is_valid_email
from socializioz.services.errors import ValidationError
from socializioz.services.input_caps import capped
from socializioz.settings import Settings


@pytest.mark.parametrize("email", ["a@b.co", "first.last+tag@sub.example.com", "x" * 64 + "@example.com"])
def test_valid_emails(email):
    assert is_valid_email(email)


@pytest.mark.parametrize(
    "email",
    [
        "",
        "a",
        "a@b",
        "@b.com",
        "a@.com",
        "a@b..com",
        "a@b.com.",
        "a@@b.com",
        "a b@c.com",
        "x" * 65 + "@example.com",
        "a@" + "b" * 250 + ".com",
    ],
)
def test_invalid_emails(email):
    assert not is_valid_email(email)


def test_the_pathological_input_is_fast():
    hostile = "a@" + "." * 40_000 + "@"
    started = time.perf_counter()
    for _ in range(100):
        assert not is_valid_email(hostile)
    assert time.perf_counter() - started < 1.0


def test_capped_refuses_long_and_non_string_input():
    assert capped("abc", 3, "x") == "abc" and capped(None, 3, "x") == "" and capped(["a"], 3, "x") == ""
    with pytest.raises(ValidationError) as excinfo:
        capped("a" * (MAX_EMAIL + 1), MAX_EMAIL, "auth.email_too_long")
    assert excinfo.value.code == "auth.email_too_long"


@pytest.mark.parametrize(
    ("public", "allowed"),
    [
        ("http://localhost:3000", ["http://localhost:3000", "http://127.0.0.1:3000"]),
        ("http://127.0.0.1:8123/", ["http://127.0.0.1:8123", "http://localhost:8123"]),
        ("https://Social.Example.com", ["https://social.example.com"]),
    ],
)
def test_allowed_origins_come_from_the_public_url(public, allowed):
    assert Settings(public_base_url=public).allowed_origins == allowed
