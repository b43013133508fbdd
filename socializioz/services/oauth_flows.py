"""OAuth flow records: one row per attempt, single use, 10-minute life, bound to user, workspace,
platform and intent (docs/architecture.md "OAuth", security.md §1).

The browser only ever sees the random ``state``; the row stores its hash and the PKCE verifier
encrypted and bound to that hash.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from socializioz.db import session_scope
from socializioz.models import OAuthFlow
from socializioz.security.crypto import TokenCipher
from socializioz.security.tokens import hash_token, new_token
from socializioz.services.persisted import saved_id

FlowResult = dict[str, Any]
"""A flow's outcome as stored (JSON) on its row: ``status`` and ``platform``, then keys that depend on
the status (``added``/``skipped``, ``code``/``params``, ``instagram``, ...); read by the result page,
the banner and the origin tab."""

FLOW_LIFETIME = timedelta(minutes=10)
INTENTS = ("connect", "reconnect", "onboarding")


class FlowRejected(Exception):
    """The callback can't be tied to a live flow; ``code`` is the spec's General OAuth code."""

    def __init__(self, code: str, flow: OAuthFlow | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.flow = flow


@dataclass(frozen=True)
class NewFlow:
    flow_id: int
    state: str = ""
    code_verifier: str | None = None


def create_flow(
    db: Session,
    *,
    user_id: int,
    workspace_id: int,
    platform: str,
    intent: str,
    return_path: str,
    client_token: str,
    with_pkce: bool,
    reconnect_account_id: int | None = None,
    now: datetime | None = None,
) -> NewFlow:
    if intent not in INTENTS:
        raise ValueError(f"unknown intent {intent!r}")
    now = now or datetime.now(UTC)
    state = new_token()
    state_hash = hash_token(state)
    verifier = secrets.token_urlsafe(64) if with_pkce else None
    flow = OAuthFlow(
        state_hash=state_hash,
        user_id=user_id,
        workspace_id=workspace_id,
        platform=platform,
        intent=intent,
        reconnect_account_id=reconnect_account_id,
        code_verifier_enc=TokenCipher.from_settings().encrypt_for_flow(verifier, state_hash) if verifier else b"",
        return_path=return_path,
        client_token=client_token,
        created_at=now,
        expires_at=now + FLOW_LIFETIME,
    )
    db.add(flow)
    db.flush()
    return NewFlow(flow_id=saved_id(flow), state=state, code_verifier=verifier)


def consume_flow(
    db: Session, state: str | None, platform: str, now: datetime | None = None
) -> tuple[OAuthFlow, str | None]:
    """Take the flow for ``state`` exactly once; returns it with its decrypted PKCE verifier.

    A conditional UPDATE decides who consumes it, so two callbacks racing with the same state
    cannot both proceed.
    """
    now = now or datetime.now(UTC)
    if not state:
        raise FlowRejected("missing_state")
    state_hash = hash_token(state)
    flow = db.exec(select(OAuthFlow).where(OAuthFlow.state_hash == state_hash)).first()
    if flow is None:
        raise FlowRejected("invalid_state")
    if flow.platform != platform:
        raise FlowRejected("invalid_state_data", flow)
    if flow.consumed_at is not None:
        raise FlowRejected("invalid_state", flow)
    if flow.expires_at <= now:
        raise FlowRejected("state_expired", flow)
    claimed = db.execute(
        sa.update(OAuthFlow)
        .where(col(OAuthFlow.id) == flow.id, col(OAuthFlow.consumed_at).is_(None))
        .values(consumed_at=now)
    ).rowcount  # type: ignore[attr-defined]  # Session.execute types an UPDATE's result as Result, not CursorResult
    db.commit()
    if claimed != 1:
        raise FlowRejected("invalid_state", flow)
    db.refresh(flow)
    verifier = None
    if flow.code_verifier_enc:
        try:
            verifier = TokenCipher.from_settings().decrypt_for_flow(flow.code_verifier_enc, state_hash)
        except Exception as error:  # a tampered or foreign blob: the session data is unusable
            raise FlowRejected("invalid_state_data", flow) from error
    return flow, verifier


def record_result(db: Session, flow: OAuthFlow, result: FlowResult) -> None:
    flow.result = json.dumps(result)
    db.add(flow)
    db.commit()


def read_flow_result(flow_id: int, user_id: int) -> FlowResult | None:
    """``flow_result``'s stored result in its own unit of work (the result page and the banner)."""
    with session_scope() as db:
        found = flow_result(db, flow_id, user_id)
    return found[1] if found else None


def flow_result(db: Session, flow_id: int, user_id: int) -> tuple[OAuthFlow, FlowResult] | None:
    """A finished flow's result for the user who started it (nobody else may read it)."""
    flow = db.get(OAuthFlow, flow_id)
    if flow is None or flow.user_id != user_id or not flow.result:
        return None
    return flow, json.loads(flow.result)
