"""Sign-in and sign-up throttling kept in the database, so every worker process agrees.

Pen-test finding 5: a hard lock per e-mail and per IP let anyone lock a victim out. The rules now
delay instead of lock, and never hold back a right password from a source that is itself clean:

* per (e-mail, IP) pair: ``free`` failures, then each next try waits 2 s, 4 s, 8 s … (≤ 15 min)
  after the pair's last failure;
* per IP, across e-mails (password spraying): 4× ``free`` failures, then the same growing delay
  (≤ 5 min); behind a proxy set ``SOCIALIZIOZ_TRUSTED_PROXY_HOPS`` so the IP is the client's;
* per e-mail, from everywhere (distributed guessing): once it has 2× ``free`` failures, a pair
  that has already failed on it waits 60 s between tries. A pair with no failure of its own is
  never held back by this rule, so the owner signs in from her own device while under attack.

An attempt is recorded as a failure *before* the password is checked and deleted on success:
concurrent guesses each see the others, so no burst slips under a limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from socializioz.models import AssistantQuestion, SignInAttempt, SignUpAttempt
from socializioz.settings import get_settings

WINDOW = timedelta(minutes=15)
IP_BUDGET_FACTOR = 4
EMAIL_UNDER_ATTACK_FACTOR = 2
BASE_DELAY = timedelta(seconds=2)
PAIR_MAX_DELAY = timedelta(minutes=15)
IP_MAX_DELAY = timedelta(minutes=5)
UNDER_ATTACK_DELAY = timedelta(seconds=60)
SIGN_UP_WINDOW = timedelta(hours=1)
ASSISTANT_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class Failures:
    """Recent failures (count, latest) seen by one attempt, for the pure rules below."""

    pair: int = 0
    pair_last: datetime | None = None
    ip: int = 0
    ip_last: datetime | None = None
    email: int = 0


def growing_delay(count: int, free: int, cap: timedelta) -> timedelta:
    """No wait up to ``free`` failures, then 2 s doubling per failure, at most ``cap``."""
    if count < free:
        return timedelta(0)
    factor: int = 2 ** min(count - free, 20)  # int ** int is Any in typeshed (negative exponents)
    return min(BASE_DELAY * factor, cap)


def wait_needed(f: Failures, now: datetime, free: int) -> timedelta:
    """How long this attempt must still wait (zero: go ahead). The rules of the module docstring."""
    waits = [timedelta(0)]
    if f.pair_last is not None:
        waits.append(f.pair_last + growing_delay(f.pair, free, PAIR_MAX_DELAY) - now)
        if f.email >= free * EMAIL_UNDER_ATTACK_FACTOR:
            waits.append(f.pair_last + UNDER_ATTACK_DELAY - now)
    if f.ip_last is not None:
        waits.append(f.ip_last + growing_delay(f.ip, free * IP_BUDGET_FACTOR, IP_MAX_DELAY) - now)
    return max(waits)


def register_attempt(db: Session, email: str, client_ip: str, now: datetime) -> int | None:
    """Record an attempt as a failure and return its id, or ``None`` (nothing kept) when it must wait.

    Commits, because the caller's transaction rolls back when sign-in fails and the failure must
    still count. Rows older than the window are pruned on the way.
    """
    db.exec(sa.delete(SignInAttempt).where(col(SignInAttempt.at) <= now - WINDOW))
    attempt = SignInAttempt(email=email, client_ip=client_ip, at=now)
    db.add(attempt)
    db.commit()
    earlier = (col(SignInAttempt.id) < attempt.id, col(SignInAttempt.at) > now - WINDOW)
    pair_n, pair_last = _stats(db, *earlier, SignInAttempt.email == email, SignInAttempt.client_ip == client_ip)
    email_n, _ = _stats(db, *earlier, SignInAttempt.email == email)
    ip_n, ip_last = _stats(db, *earlier, SignInAttempt.client_ip == client_ip) if client_ip else (0, None)
    failures = Failures(pair_n, pair_last, ip_n, ip_last, email_n)
    if wait_needed(failures, now, get_settings().sign_in_attempts_per_15_min) > timedelta(0):
        db.delete(attempt)
        db.commit()
        return None
    return attempt.id


def clear_pair(db: Session, email: str, client_ip: str) -> None:
    """A right password forgives this pair's failures (not the IP's or the e-mail's elsewhere)."""
    db.exec(
        sa.delete(SignInAttempt).where(col(SignInAttempt.email) == email, col(SignInAttempt.client_ip) == client_ip)
    )


def register_sign_up(db: Session, client_ip: str, now: datetime) -> bool:
    """Count a sign-up from this IP; ``False`` (nothing kept) past the hourly budget. Commits."""
    db.exec(sa.delete(SignUpAttempt).where(col(SignUpAttempt.at) <= now - SIGN_UP_WINDOW))
    attempt = SignUpAttempt(client_ip=client_ip, at=now)
    db.add(attempt)
    db.commit()
    count, _ = _stats(
        db, SignUpAttempt.client_ip == client_ip, col(SignUpAttempt.id) <= attempt.id, model=SignUpAttempt
    )
    if count > get_settings().sign_ups_per_ip_per_hour:
        db.delete(attempt)
        db.commit()
        return False
    return True


def register_question(db: Session, user_id: int, now: datetime) -> bool:
    """Count a question to the support assistant; ``False`` (nothing kept) past the user's hourly
    budget, so a loop of questions can neither run up a hosted model's bill nor tie up the workers.
    Commits, like the sign-up budget, so concurrent questions from several tabs each see the others."""
    db.exec(sa.delete(AssistantQuestion).where(col(AssistantQuestion.at) <= now - ASSISTANT_WINDOW))
    question = AssistantQuestion(user_id=user_id, at=now)
    db.add(question)
    db.commit()
    count, _ = _stats(
        db,
        AssistantQuestion.user_id == user_id,
        col(AssistantQuestion.id) <= question.id,
        model=AssistantQuestion,
    )
    if count > get_settings().assistant_questions_per_hour:
        db.delete(question)
        db.commit()
        return False
    return True


def _stats(
    db: Session,
    *conditions: sa.ColumnElement[bool] | bool,
    model: type[SignInAttempt] | type[SignUpAttempt] | type[AssistantQuestion] = SignInAttempt,
) -> tuple[int, datetime | None]:
    query = select(func.count(), func.max(model.at)).select_from(model).where(*conditions)
    count, last = db.exec(query).one()
    if last is not None and last.tzinfo is None:  # in case an aggregate comes back naive
        last = last.replace(tzinfo=UTC)
    return count, last
