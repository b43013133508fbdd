"""OAuth flow records: one row per attempt, single use, 10-minute life, bound to user, workspace,
platform and intent (docs/architecture.md "OAuth", security.md §1).

The browser only ever sees the random ``state``; the row stores its hash and the PKCE verifier
encrypted and bound to that hash.
"""

from __future__ import annotations

import dataclasses
import json
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypedDict

import sqlalchemy as sa
from sqlmodel import Session, col, select

from socializioz.db import session_scope
from socializioz.domain.connect_rules import FlowStatus, Intent
from socializioz.models import OAuthFlow
from socializioz.security.crypto import TokenCipher
from socializioz.security.tokens import hash_token, new_token
from socializioz.services.persisted import saved_id


class AddedAccount(TypedDict):
    id: int | None
    name: str
    platform: str


class SkippedAccount(TypedDict):
    name: str
    platform: str
    reason: str  # "plan_limit"


class PendingInstagram(TypedDict):
    """An Instagram account linked to a Facebook Page, waiting for the user's confirmation."""

    external_id: str
    username: str
    name: str
    avatar_url: str
    followers: int
    page_name: str
    page_external_id: str


@dataclass
class FlowOutcome:
    """A flow's outcome, stored (JSON, no tokens) on its row; read by the result page, the banner
    and the tab that started the flow. ``code``/``params`` only on an error; ``added``, ``skipped``
    and ``plan`` on a success; ``instagram`` while the linked Instagram accounts await a yes."""

    status: FlowStatus
    platform: str
    code: str = ""
    params: dict[str, str] = field(default_factory=dict)
    added: list[AddedAccount] = field(default_factory=list)
    skipped: list[SkippedAccount] = field(default_factory=list)
    plan: str = ""
    reconnected: bool = False
    instagram: list[PendingInstagram] = field(default_factory=list)
    instagram_declined: bool = False
    intent: Intent | None = None
    return_path: str = ""

    @classmethod
    def error(cls, platform: str, code: str, **params: str) -> FlowOutcome:
        return cls(FlowStatus.ERROR, platform, code=code, params=params)

    @property
    def failed(self) -> bool:
        return self.status is FlowStatus.ERROR

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self))

    @classmethod
    def from_json(cls, text: str) -> FlowOutcome:
        """A stored outcome; keys this version does not know are ignored."""
        data: dict[str, Any] = json.loads(text)
        known = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["status"] = FlowStatus(values.get("status", FlowStatus.ERROR))
        values["intent"] = Intent(values["intent"]) if values.get("intent") else None
        values.setdefault("platform", "")
        return cls(**values)


FLOW_LIFETIME = timedelta(minutes=10)
INTENTS = tuple(Intent)


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
    intent: Intent | str,
    return_path: str,
    client_token: str,
    with_pkce: bool,
    reconnect_account_id: int | None = None,
    now: datetime | None = None,
) -> NewFlow:
    if intent not in INTENTS:
        raise ValueError(f"unknown intent {intent!r}")
    intent = Intent(intent)
    now = now or datetime.now(UTC)
    state = new_token()
    state_hash = hash_token(state)
    verifier = secrets.token_urlsafe(64) if with_pkce else None
    flow = OAuthFlow(
        state_hash=state_hash,
        user_id=user_id,
        workspace_id=workspace_id,
        platform=platform,
        intent=intent.value,
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


def record_result(db: Session, flow: OAuthFlow, result: FlowOutcome) -> None:
    flow.result = result.to_json()
    db.add(flow)
    db.commit()


def read_flow_result(flow_id: int, user_id: int) -> FlowOutcome | None:
    """``flow_result``'s stored result in its own unit of work (the result page and the banner)."""
    with session_scope() as db:
        found = flow_result(db, flow_id, user_id)
    return found[1] if found else None


def flow_result(db: Session, flow_id: int, user_id: int) -> tuple[OAuthFlow, FlowOutcome] | None:
    """A finished flow's result for the user who started it (nobody else may read it)."""
    flow = db.get(OAuthFlow, flow_id)
    if flow is None or flow.user_id != user_id or not flow.result:
        return None
    return flow, FlowOutcome.from_json(flow.result)
