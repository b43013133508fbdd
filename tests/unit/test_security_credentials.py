"""Credential storage and key rotation over real rows."""

from __future__ import annotations

import pytest
from sqlmodel import select

from socializioz.cli import main
from socializioz.db import session_scope
from socializioz.models import Credential, OAuthFlow, SocialAccount, User, Workspace, utcnow
from socializioz.security.credentials import load_tokens, store_tokens
from socializioz.security.crypto import DecryptionError, TokenCipher
from socializioz.security.key_rotation import retire_keys, rotate_keys
from socializioz.security.keys import KeyConfigError, load_keyring, save_keyring


def _accounts(db, count: int) -> list[int]:
    workspace = Workspace(name="W")
    db.add(workspace)
    db.flush()
    rows = [
        SocialAccount(workspace_id=workspace.id, platform="x", external_id=str(n), name=f"A{n}") for n in range(count)
    ]
    db.add_all(rows)
    db.flush()
    return [row.id for row in rows]


def _flow(db) -> OAuthFlow:
    user = User(email="u@example.com", name="U", password_hash="x")
    db.add(user)
    db.flush()
    flow = OAuthFlow(state_hash="state-1", user_id=user.id, workspace_id=1, platform="x", expires_at=utcnow())
    flow.code_verifier_enc = TokenCipher.from_settings().encrypt_for_flow("verifier-1", "state-1")
    db.add(flow)
    db.flush()
    return flow


def test_store_and_load_round_trip(db):
    (account,) = _accounts(db, 1)
    store_tokens(db, account, {"access_token": "AT-1", "refresh_token": "RT-1"})
    assert load_tokens(db, account) == {"access_token": "AT-1", "refresh_token": "RT-1"}
    assert b"AT-1" not in db.exec(select(Credential)).one().ciphertext


def test_store_replaces_in_place(db):
    (account,) = _accounts(db, 1)
    store_tokens(db, account, {"access_token": "old"})
    store_tokens(db, account, {"access_token": "new"})
    assert len(db.exec(select(Credential)).all()) == 1
    assert load_tokens(db, account)["access_token"] == "new"


@pytest.mark.parametrize("tokens", [{}, {"access_token": ""}, {"access_token": "  "}, {"access_token": None}])
def test_blank_access_token_is_refused_and_old_tokens_survive(db, tokens):
    (account,) = _accounts(db, 1)
    store_tokens(db, account, {"access_token": "keep"})
    with pytest.raises(ValueError):
        store_tokens(db, account, tokens)
    assert load_tokens(db, account) == {"access_token": "keep"}


def test_load_without_credentials_is_none(db):
    (account,) = _accounts(db, 1)
    assert load_tokens(db, account) is None


def test_credential_row_moved_to_another_account_is_refused(db):
    first, second = _accounts(db, 2)
    store_tokens(db, first, {"access_token": "mine"})
    row = db.exec(select(Credential)).one()
    row.account_id = second
    db.add(row)
    db.flush()
    with pytest.raises(DecryptionError):
        load_tokens(db, second)


def test_rotation_reseals_every_row_and_old_key_keeps_reading_until_retired(schema):
    with session_scope() as db:
        accounts = _accounts(db, 5)
        for n, account in enumerate(accounts):
            store_tokens(db, account, {"access_token": f"AT-{n}"})
        _flow(db)
    old = load_keyring()
    old_row_key, old_blob = TokenCipher(old).encrypt("written-before", accounts[0])

    report = rotate_keys()

    ring = load_keyring()
    assert report.primary_key_id == ring.primary_id != old.primary_id
    assert (report.credentials, report.flows) == (5, 1)
    with session_scope() as db:
        assert {c.key_id for c in db.exec(select(Credential)).all()} == {ring.primary_id}
        assert [load_tokens(db, a)["access_token"] for a in accounts] == [f"AT-{n}" for n in range(5)]
        flow = db.exec(select(OAuthFlow)).one()
        assert flow.code_verifier_enc.startswith(ring.primary_id.encode() + b":")
        assert TokenCipher(ring).decrypt_for_flow(flow.code_verifier_enc, "state-1") == "verifier-1"
    assert TokenCipher(ring).decrypt(old_row_key, old_blob, accounts[0]) == "written-before"

    assert retire_keys() == [old.primary_id]
    with pytest.raises(DecryptionError):
        TokenCipher.from_settings().decrypt(old_row_key, old_blob, accounts[0])


def test_retire_refuses_while_a_row_uses_an_old_key(schema):
    with session_scope() as db:
        (account,) = _accounts(db, 1)
        store_tokens(db, account, {"access_token": "AT"})
    save_keyring(load_keyring().with_new_primary())
    with pytest.raises(KeyConfigError):
        retire_keys()


def test_cli_rotate_keys_reports_without_printing_secrets(schema, capsys):
    with session_scope() as db:
        (account,) = _accounts(db, 1)
        store_tokens(db, account, {"access_token": "AT-cli"})
    main(["rotate-keys"])
    out = capsys.readouterr().out
    assert load_keyring().primary_id in out and "1 credentials" in out and "AT-cli" not in out
