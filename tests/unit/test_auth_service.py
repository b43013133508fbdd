"""Sign-up, sign-in, rate limiting, tickets and sessions."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlmodel import select

from socializioz.db import session_scope
from socializioz.models import Membership, SignInTicket, UserSession, Workspace
from socializioz.security import passwords
from socializioz.services import auth
from socializioz.services.errors import AuthError, ServiceError

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
        ("a@" + "." * 40_000 + "@", "A", PASSWORD, "auth.email_too_long"),
        ("a@b.." + "c" * 10, "A", PASSWORD, "auth.invalid_email"),
        ("a@@b.com", "A", PASSWORD, "auth.invalid_email"),
        ("x" * 65 + "@b.com", "A", PASSWORD, "auth.invalid_email"),
        ("a@c.com", "N" * 201, PASSWORD, "auth.name_too_long"),
        ("a@c.com", "A", "p" * 1025, "auth.password_too_long"),
    ],
)
def test_sign_up_validation(db, email, name, password, code):
    with pytest.raises(ServiceError) as excinfo:
        auth.sign_up(db, email, name, password)
    assert _code(excinfo) == code


def test_sign_up_refuses_a_taken_email_in_any_case(db, user):
    with pytest.raises(AuthError) as excinfo:
        auth.sign_up(db, "ALICE@example.com", "Other", PASSWORD)
    assert _code(excinfo) == "auth.sign_up_refused"


def test_register_never_says_an_email_is_taken(user, clock):
    """Finding 6: a taken e-mail with a wrong password gets the neutral refusal; its owner's
    right password simply signs her in."""
    with pytest.raises(AuthError) as excinfo, session_scope() as db:
        auth.register(db, "alice@example.com", "Mallory", "guess-guess-guess", client_ip="203.0.113.5")
    assert _code(excinfo) == "auth.sign_up_refused"
    with session_scope() as db:
        assert auth.register(db, "alice@example.com", "Alice", PASSWORD, client_ip="203.0.113.5").id == user.id
    assert "email_taken" not in str(excinfo.value)


def test_register_is_throttled_per_ip(schema, clock):
    for n in range(10):
        with session_scope() as db:
            auth.register(db, f"new{n}@example.com", "New", PASSWORD, client_ip="203.0.113.7")
    with pytest.raises(AuthError) as excinfo, session_scope() as db:
        auth.register(db, "new10@example.com", "New", PASSWORD, client_ip="203.0.113.7")
    assert _code(excinfo) == "auth.sign_up_rate_limited"
    with session_scope() as db:  # another network is not affected
        auth.register(db, "other@example.com", "Other", PASSWORD, client_ip="198.51.100.7")
    clock.shift(timedelta(hours=1, seconds=1))
    with session_scope() as db:
        auth.register(db, "new10@example.com", "New", PASSWORD, client_ip="203.0.113.7")


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


def _ok(email="alice@example.com", ip=""):
    with session_scope() as db:
        return auth.check_sign_in(db, email, PASSWORD, client_ip=ip)


def test_a_pair_is_slowed_with_growing_delays_not_locked(user, clock):
    for _ in range(5):
        assert _fail(ip="203.0.113.1") == "auth.invalid_credentials"
    assert _fail(ip="203.0.113.1") == "auth.rate_limited"  # after 5 free failures: wait 2 s
    clock.shift(timedelta(seconds=2, milliseconds=1))
    assert _fail(ip="203.0.113.1") == "auth.invalid_credentials"
    clock.shift(timedelta(seconds=3))
    assert _fail(ip="203.0.113.1") == "auth.rate_limited"  # now 4 s
    clock.shift(timedelta(seconds=1, milliseconds=1))
    assert _ok(ip="203.0.113.1").id == user.id  # a delay, never a lock


def test_the_victim_signs_in_from_elsewhere_while_her_email_is_attacked(user, clock):
    """Finding 5: 30 wrong passwords from IP A do not keep the owner out from IP B."""
    codes = []
    for _ in range(30):
        codes.append(_fail(ip="203.0.113.66"))
        clock.shift(timedelta(milliseconds=200))
    assert "auth.rate_limited" in codes
    assert _ok(ip="198.51.100.2").id == user.id


def test_distributed_guessing_gets_one_try_per_minute_per_source(user, clock):
    for n in range(10):  # ten attackers, one failure each: the e-mail is now under attack
        assert _fail(ip=f"203.0.113.{n}") == "auth.invalid_credentials"
    assert _fail(ip="203.0.113.0") == "auth.rate_limited"  # an attacker who already failed waits 60 s
    assert _fail(ip="203.0.113.99") == "auth.invalid_credentials"  # a fresh source gets its one try
    clock.shift(timedelta(seconds=61))
    assert _fail(ip="203.0.113.0") == "auth.invalid_credentials"
    assert _ok(ip="198.51.100.3").id == user.id


def test_rate_limit_applies_to_unknown_emails_too(schema, clock):
    codes = [_fail("ghost@example.com") for _ in range(7)]
    assert codes[-1] == "auth.rate_limited"


def test_successful_sign_in_forgives_the_pair(user, clock):
    for _ in range(4):
        _fail(ip="203.0.113.4")
    _ok(ip="203.0.113.4")
    assert [_fail(ip="203.0.113.4") for _ in range(5)] == ["auth.invalid_credentials"] * 5


def test_one_ip_spraying_many_emails_is_slowed(schema, clock):
    codes = [_fail(f"user{n}@example.com", ip="203.0.113.9") for n in range(21)]
    assert codes[:20] == ["auth.invalid_credentials"] * 20
    assert codes[20] == "auth.rate_limited"
    assert _fail("user0@example.com", ip="198.51.100.1") == "auth.invalid_credentials"
    clock.shift(timedelta(seconds=2, milliseconds=1))
    assert _fail("user20@example.com", ip="203.0.113.9") == "auth.invalid_credentials"


def test_growing_delay_is_capped():
    from socializioz.security import rate_limit as rl

    assert rl.growing_delay(4, 5, rl.PAIR_MAX_DELAY) == timedelta(0)
    assert rl.growing_delay(5, 5, rl.PAIR_MAX_DELAY) == timedelta(seconds=2)
    assert rl.growing_delay(8, 5, rl.PAIR_MAX_DELAY) == timedelta(seconds=16)
    assert rl.growing_delay(500, 5, rl.PAIR_MAX_DELAY) == rl.PAIR_MAX_DELAY


def test_ticket_is_single_use_and_opens_a_session(db, user, clock):
    ticket = auth.issue_sign_in_ticket(db, user)
    assert db.exec(select(SignInTicket)).one().ticket_hash != ticket
    token = auth.redeem_sign_in_ticket(db, ticket)
    assert token and auth.user_for_session(db, token).id == user.id
    assert db.exec(select(UserSession)).one().token_hash != token
    assert auth.redeem_sign_in_ticket(db, ticket) is None


def test_expired_or_unknown_ticket_is_refused(db, user, clock):
    ticket = auth.issue_sign_in_ticket(db, user)
    clock.shift(timedelta(seconds=61))
    assert auth.redeem_sign_in_ticket(db, ticket) is None
    assert auth.redeem_sign_in_ticket(db, "made-up") is None
    assert db.exec(select(UserSession)).all() == []


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
        assert len(db.exec(select(UserSession)).all()) == 1


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
