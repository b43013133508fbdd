"""Rotate the token-encryption key: a new primary, then every stored ciphertext re-sealed with it.

With the key file, rotation generates the new key itself. With ``SOCIALIZIOZ_ENCRYPTION_KEYS``
the operator puts the new key first in that list and rotation re-seals everything under it.
Old keys keep decrypting until ``retire_keys`` drops them, which it only does once nothing
uses them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from socializioz.db import session_scope
from socializioz.models import Credential, OAuthFlow, utcnow
from socializioz.security.crypto import TokenCipher, account_aad
from socializioz.security.keys import KeyConfigError, load_keyring, save_keyring, uses_key_file


@dataclass(frozen=True)
class RotationReport:
    primary_key_id: str
    credentials: int
    flows: int


def rotate_keys() -> RotationReport:
    """Make a new primary key (key-file setup) and re-encrypt every row in one transaction."""
    if uses_key_file():
        save_keyring(load_keyring().with_new_primary())
    cipher = TokenCipher.from_settings()
    with session_scope() as db:
        credentials = _reseal_credentials(db, cipher)
        flows = _reseal_flows(db, cipher)
    return RotationReport(cipher.primary_key_id, credentials, flows)


def retire_keys() -> list[str]:
    """Drop every non-primary key from the key file; refuses while any row still needs one."""
    if not uses_key_file():
        raise KeyConfigError("keys come from SOCIALIZIOZ_ENCRYPTION_KEYS; remove old ones there")
    ring = load_keyring()
    with session_scope() as db:
        stale = db.exec(select(Credential.id).where(col(Credential.key_id) != ring.primary_id)).first()
        prefix = ring.primary_id.encode() + b":"
        flows = db.exec(select(OAuthFlow.code_verifier_enc).where(col(OAuthFlow.code_verifier_enc) != b"")).all()
    if stale is not None or any(not blob.startswith(prefix) for blob in flows):
        raise KeyConfigError("some rows still use an old key; run rotate-keys first")
    save_keyring(ring.only_primary())
    return sorted(set(ring.keys) - {ring.primary_id})


def _reseal_credentials(db: Session, cipher: TokenCipher) -> int:
    rows = db.exec(select(Credential).with_for_update()).all()
    for row in rows:
        aad = account_aad(row.account_id)
        row.key_id, row.ciphertext = cipher.seal(cipher.open(row.key_id, row.ciphertext, aad), aad)
        row.updated_at = utcnow()
        db.add(row)
    return len(rows)


def _reseal_flows(db: Session, cipher: TokenCipher) -> int:
    rows = db.exec(select(OAuthFlow).where(col(OAuthFlow.code_verifier_enc) != b"").with_for_update()).all()
    for row in rows:
        verifier = cipher.decrypt_for_flow(row.code_verifier_enc, row.state_hash)
        row.code_verifier_enc = cipher.encrypt_for_flow(verifier, row.state_hash)
        db.add(row)
    return len(rows)
