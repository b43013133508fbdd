"""AES-GCM encryption of provider tokens and PKCE verifiers, bound to the row they belong to.

The associated data names the owning row (``socialaccount:<id>``, ``oauthflow:<state_hash>``),
so a ciphertext copied into another row fails to decrypt. Each ciphertext records the key id
that sealed it, so keys can rotate while old rows keep reading.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from socializioz.security.keys import KeyRing, load_keyring

NONCE_BYTES = 12  # 96 bits, the size GCM is designed for
_FLOW_SEPARATOR = b":"


class DecryptionError(Exception):
    """The ciphertext cannot be opened: unknown key, wrong row, or tampered bytes."""


def account_aad(account_id: int) -> bytes:
    return f"socialaccount:{account_id}".encode()


def flow_aad(state_hash: str) -> bytes:
    return f"oauthflow:{state_hash}".encode()


class TokenCipher:
    """Seals with the primary key, opens with any key in the ring."""

    def __init__(self, ring: KeyRing) -> None:
        self._ring = ring

    @classmethod
    def from_settings(cls) -> TokenCipher:
        return cls(load_keyring())

    @property
    def primary_key_id(self) -> str:
        return self._ring.primary_id

    def seal(self, plaintext: str, aad: bytes) -> tuple[str, bytes]:
        """(key_id, nonce || ciphertext-with-tag) under the primary key."""
        nonce = os.urandom(NONCE_BYTES)
        key_id = self._ring.primary_id
        sealed = AESGCM(self._ring.keys[key_id]).encrypt(nonce, plaintext.encode(), aad)
        return key_id, nonce + sealed

    def open(self, key_id: str, blob: bytes, aad: bytes) -> str:
        key = self._ring.keys.get(key_id)
        if key is None or len(blob) <= NONCE_BYTES:
            raise DecryptionError("unknown key or malformed ciphertext")
        try:
            plain = AESGCM(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
        except InvalidTag as exc:
            raise DecryptionError("ciphertext does not match its key or row") from exc
        return plain.decode()

    def encrypt(self, plaintext: str, account_id: int) -> tuple[str, bytes]:
        return self.seal(plaintext, account_aad(account_id))

    def decrypt(self, key_id: str, blob: bytes, account_id: int) -> str:
        return self.open(key_id, blob, account_aad(account_id))

    def encrypt_for_flow(self, plaintext: str, state_hash: str) -> bytes:
        """One self-describing blob (``keyid:`` prefix), since a flow row has no key-id column."""
        key_id, blob = self.seal(plaintext, flow_aad(state_hash))
        return key_id.encode() + _FLOW_SEPARATOR + blob

    def decrypt_for_flow(self, blob: bytes, state_hash: str) -> str:
        key_id, sep, sealed = blob.partition(_FLOW_SEPARATOR)
        if not sep:
            raise DecryptionError("malformed flow ciphertext")
        return self.open(key_id.decode(errors="replace"), sealed, flow_aad(state_hash))
