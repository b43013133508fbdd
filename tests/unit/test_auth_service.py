"""Sign-up, sign-in, rate limiting, tickets and sessions."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlmodel import select

from socializioz.db import session_scope
from socializioz.models import Membership, Session, SignInTicket, Workspace
from socializioz.security import passwords
from socializioz.services import auth
from socializioz.services.errors import AuthError

PASSWORD = "long-enough-pw"


@pytest.fixture
def user(schema):
    """A committed user, so tests can also work in their own transactions."""
    with session_scope() as db:
        return auth.sign_up(db, "  Alice@Example.COM ", "Alice", PASSWORD)


def _code(excinfo) -> str:
    return excinfo.value.code


def test_sign_up_creates_user_and_personal_free_workspace(db, user):
    assert user.email == "alice@example.com"
    workspace = db.get(Workspace, user.active_workspace_id)
    assert workspace.plan == "free"
    membership = db.exec(select(Membership).where(Membership.user_id == user.id)).one()
    assert (membership.workspace_id, membership.role) == (workspace.id, "owner")
    assert PASSWORD not in user.password_hash


@pytest.mark.parametrize(
    ("email", "name", "password", "code"),
    [
        ("not-an-email", "A", PASSWORD, "auth.invalid_email"),
        ("a@b", "A", PASSWORD, "auth.invalid_email"),
        ("a b@c.com", "A", PASSWORD, "auth.invalid_email"),
        ("a@c.com", "   ", PASSWORD, "auth.name_required"),
        ("a@c.com", "A", "short-pw1", "auth.weak_password"),
    ],
)
def test_sign_up_validation(db, email, name, password, code):
    with pytest.raises(AuthError) as excinfo:
        auth.sign_up(db, email, name, password)
    assert _code(excinfo) == code


def test_sign_up_refuses_a_taken_email_in_any_case(db, user):
    with pytest.raises(AuthError) as excinfo:
        auth.sign_up(db, "ALICE@example.com", "Other", PASSWORD)
    assert _code(excinfo) == "auth.email_taken"


def test_sign_in_with_right_password(db, user):
    assert auth.check_sign_in(db, "alice@EXAMPLE.com ", PASSWORD).id == user.id


def test_wrong_password_and_unknown_email_get_the_same_error(db, user, monkeypatch):
    burned = []
    monkeypatch.setattr(passwords, "burn_verify", lambda pw: burned.append(True))
    with pytest.raises(AuthError) as wrong:
        auth.check_sign_in(db, "alice@example.com", "not-the-password")
    with pytest.raises(AuthError) as unknown:
        auth.check_sign_in(db, "nobody@example.com", PASSWORD)
    assert _code(wrong) == _code(unknown) == "auth.invalid_credentials"
    assert str(wrong.value) == str(unknown.value)
    assert burned == [True]


def _fail(email="alice@example.com", ip=""):
    """One failed attempt in its own transaction, as the UI would make it."""
    with pytest.raises(AuthError) as excinfo, session_scope() as db:
        auth.check_sign_in(db, email, "wrong-password", client_ip=ip)
    return _code(excinfo)


def test_rate_limit_kicks_in_and_expires_after_15_minutes(user, clock):
    for _ in range(5):
        assert _fail() == "auth.invalid_credentials"
    assert _fail() == "auth.rate_limited"
    with pytest.raises(AuthError) as excinfo, session_scope() as db:
        auth.check_sign_in(db, "alice@example.com", PASSWORD)
    assert _code(excinfo) == "auth.rate_limited"
    clock.shift(timedelta(minutes=14))
    assert _fail() == "auth.rate_limited"
    clock.shift(timedelta(minutes=1, seconds=1))
    with session_scope() as db:
        assert auth.check_sign_in(db, "alice@example.com", PASSWORD).id == user.id


def test_rate_limit_applies_to_unknown_emails_too(schema, clock):
    codes = [_fail("ghost@example.com") for _ in range(6)]
    assert codes[-1] == "auth.rate_limited"


def test_successful_sign_in_forgives_earlier_failures(user, clock):
    for _ in range(4):
        _fail()
    with session_scope() as db:
        auth.check_sign_in(db, "alice@example.com", PASSWORD)
    assert [_fail() for _ in range(5)] == ["auth.invalid_credentials"] * 5


def test_rate_limit_per_client_ip_across_emails(schema, clock):
    codes = [_fail(f"user{n}@example.com", ip="203.0.113.9") for n in range(21)]
    assert codes[:20] == ["auth.invalid_credentials"] * 20
    assert codes[20] == "auth.rate_limited"
    assert _fail("user0@example.com", ip="198.51.100.1") == "auth.invalid_credentials"


def test_ticket_is_single_use_and_opens_a_session(db, user, clock):
    ticket = auth.issue_sign_in_ticket(db, user)
    assert db.exec(select(SignInTicket)).one().ticket_hash != ticket
    token = auth.redeem_sign_in_ticket(db, ticket)
    assert token and auth.user_for_session(db, token).id == user.id
    assert db.exec(select(Session)).one().token_hash != token
    assert auth.redeem_sign_in_ticket(db, ticket) is None


def test_expired_or_unknown_ticket_is_refused(db, user, clock):
    ticket = auth.issue_sign_in_ticket(db, user)
    clock.shift(timedelta(seconds=61))
    assert auth.redeem_sign_in_ticket(db, ticket) is None
    assert auth.redeem_sign_in_ticket(db, "made-up") is None
    assert db.exec(select(Session)).all() == []


def test_concurrent_redemption_yields_exactly_one_session(user, schema):
    with session_scope() as db:
        ticket = auth.issue_sign_in_ticket(db, user)
    barrier = threading.Barrier(8)
    results = []

    def redeem():
        barrier.wait()
        with session_scope() as db:
            results.append(auth.redeem_sign_in_ticket(db, ticket))

    threads = [threading.Thread(target=redeem) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len([r for r in results if r]) == 1 and len(results) == 8
    with session_scope() as db:
        assert len(db.exec(select(Session)).all()) == 1


def test_session_expires_after_max_age(db, user, clock):
    token = auth.redeem_sign_in_ticket(db, auth.issue_sign_in_ticket(db, user))
    clock.shift(timedelta(days=13, hours=23))
    assert auth.user_for_session(db, token) is not None
    clock.shift(timedelta(hours=1))
    assert auth.user_for_session(db, token) is None


def test_end_session_signs_out(db, user):
    token = auth.redeem_sign_in_ticket(db, auth.issue_sign_in_ticket(db, user))
    auth.end_session(db, token)
    assert auth.user_for_session(db, token) is None
    assert auth.user_for_session(db, "") is None
