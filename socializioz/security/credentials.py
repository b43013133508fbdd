"""The only way tokens enter or leave the database: encrypted JSON in one Credential row per account."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, select

from socializioz.models import Credential, utcnow
from socializioz.security.crypto import TokenCipher


def store_tokens(session: Session, account_id: int, tokens: dict[str, Any]) -> None:
    """Encrypt ``tokens`` for the account, replacing the previous ones in place.

    The new ciphertext is built before the row changes, so a failure leaves the old tokens
    intact; a blank access token is refused so a bad provider reply never wipes a good one.
    """
    if not str(tokens.get("access_token") or "").strip():
        raise ValueError("refusing to store credentials without an access_token")
    key_id, blob = TokenCipher.from_settings().encrypt(json.dumps(tokens), account_id)
    row = _row(session, account_id) or Credential(account_id=account_id, key_id=key_id, ciphertext=blob)
    row.key_id, row.ciphertext, row.updated_at = key_id, blob, utcnow()
    session.add(row)
    session.flush()


def load_tokens(session: Session, account_id: int) -> dict[str, Any] | None:
    """The account's decrypted tokens, or ``None`` when it has none."""
    row = _row(session, account_id)
    if row is None:
        return None
    tokens: dict[str, Any] = json.loads(TokenCipher.from_settings().decrypt(row.key_id, row.ciphertext, account_id))
    return tokens


def _row(session: Session, account_id: int) -> Credential | None:
    return session.exec(select(Credential).where(Credential.account_id == account_id)).first()
