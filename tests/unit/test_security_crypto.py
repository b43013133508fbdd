"""Token encryption: round trip, row binding, tamper and unknown-key refusal, key sources."""

from __future__ import annotations

import base64
import json
import stat

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socializioz.security.crypto import DecryptionError, TokenCipher
from socializioz.security.keys import KeyConfigError, KeyRing, key_file, load_keyring
from socializioz.settings import get_settings


@pytest.fixture
def cipher() -> TokenCipher:
    return TokenCipher.from_settings()


def test_round_trip(cipher):
    key_id, blob = cipher.encrypt("EAAB-secret", 7)
    assert b"EAAB-secret" not in blob
    assert cipher.decrypt(key_id, blob, 7) == "EAAB-secret"


def test_each_encryption_uses_a_fresh_nonce(cipher):
    assert cipher.encrypt("same", 1)[1] != cipher.encrypt("same", 1)[1]


def test_ciphertext_copied_to_another_account_is_refused(cipher):
    key_id, blob = cipher.encrypt("token", 1)
    with pytest.raises(DecryptionError):
        cipher.decrypt(key_id, blob, 2)


@pytest.mark.parametrize("position", [0, 12, -1])
def test_tampered_ciphertext_is_refused(cipher, position):
    key_id, blob = cipher.encrypt("token", 1)
    tampered = bytearray(blob)
    tampered[position] ^= 0x01
    with pytest.raises(DecryptionError):
        cipher.decrypt(key_id, bytes(tampered), 1)


def test_unknown_key_id_is_refused(cipher):
    _, blob = cipher.encrypt("token", 1)
    with pytest.raises(DecryptionError):
        cipher.decrypt("nope", blob, 1)


def test_flow_verifier_is_bound_to_its_state(cipher):
    blob = cipher.encrypt_for_flow("verifier-abc", "hash-1")
    assert cipher.decrypt_for_flow(blob, "hash-1") == "verifier-abc"
    with pytest.raises(DecryptionError):
        cipher.decrypt_for_flow(blob, "hash-2")


def test_key_file_is_generated_once_and_private():
    first = load_keyring()
    path = key_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_keyring() == first
    assert json.loads(path.read_text())["primary"] == first.primary_id


def test_environment_keys_win_and_first_is_primary(monkeypatch):
    k1, k2 = (base64.b64encode(bytes([n]) * 32).decode() for n in (1, 2))
    monkeypatch.setenv("SOCIALIZIOZ_ENCRYPTION_KEYS", f"new:{k2},old:{k1}")
    get_settings.cache_clear()
    ring = load_keyring()
    assert ring.primary_id == "new" and set(ring.keys) == {"new", "old"}
    assert not key_file().exists()


@pytest.mark.parametrize("spec", ["nocolon", "k1:not-base64!", f"k1:{base64.b64encode(b'short').decode()}"])
def test_bad_environment_keys_stop_startup(monkeypatch, spec):
    monkeypatch.setenv("SOCIALIZIOZ_ENCRYPTION_KEYS", spec)
    get_settings.cache_clear()
    with pytest.raises(KeyConfigError):
        load_keyring()


@settings(max_examples=60, deadline=None)
@given(plaintext=st.text(), account_id=st.integers(min_value=1, max_value=2**31), flip=st.integers(min_value=0))
def test_any_plaintext_round_trips_and_any_bit_flip_is_refused(plaintext, account_id, flip):
    cipher = TokenCipher(KeyRing("k", {"k": bytes(32)}))
    key_id, blob = cipher.encrypt(plaintext, account_id)
    assert cipher.decrypt(key_id, blob, account_id) == plaintext
    tampered = bytearray(blob)
    tampered[flip % len(blob)] ^= 1 << (flip % 8)
    with pytest.raises(DecryptionError):
        cipher.decrypt(key_id, bytes(tampered), account_id)
