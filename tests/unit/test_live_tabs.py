"""The live-push building blocks: the handshake's token check, the tab registry, and the account
merge that keeps an unchanged list from being sent again (pen-test findings 1, 2 and 8)."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import timedelta

import pytest

import socializioz.pages  # noqa: F401  (the app's import order: pages before states)
from socializioz.services import auth, live_tabs
from socializioz.services.account_views import CardView
from socializioz.state.connections import merge_accounts
from socializioz.web.socket_guard import tab_token
from tests.unit.accounts_fixtures import team_a  # noqa: F401


def _environ(query: str) -> dict:
    return {"QUERY_STRING": query}


def test_only_the_frontends_uuid4_tokens_pass() -> None:
    good = str(uuid.uuid4())
    assert tab_token(_environ(f"EIO=4&transport=websocket&token={good}")) == good


@pytest.mark.parametrize(
    "token",
    [
        "ws3",
        "ws-3",
        "workspace3",
        uuid.uuid4().hex,
        str(uuid.uuid4()).upper(),
        str(uuid.uuid1()),
        "00000000-0000-0000-0000-000000000000",
        "",
        "a" * 500,
    ],
    ids=["ws3", "ws-3", "workspace3", "uuid4-hex", "uuid4-upper", "uuid1", "nil-uuid", "empty", "long"],
)
def test_guessable_or_crafted_tokens_are_refused(token: str) -> None:
    assert tab_token(_environ(f"EIO=4&token={token}")) is None


def test_two_tokens_in_one_handshake_are_refused() -> None:
    assert tab_token(_environ(f"token={uuid.uuid4()}&token={uuid.uuid4()}")) is None


def _card(account_id: int, name: str) -> CardView:
    return CardView(account_id, "x", name, "", "", 0, "2026-01-01", True)


def test_merge_sends_nothing_when_nothing_changed() -> None:
    rows = [_card(1, "A"), _card(2, "B")]
    assert merge_accounts(rows, [dataclasses.replace(r) for r in rows]) is None
    assert merge_accounts(rows, [rows[0]]) == [rows[0]]
    assert merge_accounts(rows, [rows[0], _card(2, "B2")]) == [rows[0], _card(2, "B2")]
    assert merge_accounts([], rows) == rows


def _session_for(db, user) -> str:
    return auth.redeem_sign_in_ticket(db, auth.issue_sign_in_ticket(db, user))


def test_registry_lists_live_tabs_and_drops_expired_ones(db, team_a, clock) -> None:
    session = _session_for(db, team_a.owner)
    live_tabs.register(db, "tab-1", team_a.workspace_id, team_a.owner.id, session)
    live_tabs.register(db, "tab-1", team_a.workspace_id, team_a.owner.id, session)  # a reload: still one row
    assert [t.client_token for t in live_tabs.tabs_of(db, team_a.workspace_id)] == ["tab-1"]
    clock.shift(live_tabs.TAB_LIFETIME + timedelta(minutes=1))
    assert live_tabs.tabs_of(db, team_a.workspace_id) == []


def test_a_token_reused_without_its_session_is_wiped(db, team_a) -> None:
    from socializioz.security.tokens import hash_token
    from socializioz.state.live import needs_wipe

    session = _session_for(db, team_a.owner)
    db.commit()
    bound = hash_token(session)
    assert needs_wipe(bound, session) is False
    assert needs_wipe(bound, "") is True  # the same token without the cookie
    assert needs_wipe(bound, _session_for(db, team_a.admin)) is True  # someone else's cookie
    auth.end_session(db, session)
    db.commit()
    assert needs_wipe(bound, session) is True  # the same cookie after sign-out


def test_every_variant_nibble_the_frontend_makes_passes() -> None:
    """``generateUUID`` in Reflex's state.js writes the variant nibble as ``(r & 0x7) | 0x8``: 8 to f."""
    for nibble in "89abcdef":
        token = f"1b4e28ba-2fa1-41d2-{nibble}83b-0d8a3b1e4c2f"
        assert tab_token(_environ(f"token={token}")) == token
