"""Finding 10: the error banner and the result page show catalogue text only; names come from the
signed-in user's own flow row, never from the URL."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime

from socializioz.models import OAuthFlow
from socializioz.state.error_view import banner_from_query
from tests.unit.accounts_fixtures import team_a, team_b  # noqa: F401

EVIL = {"expected": "EVIL Corp", "actual": "Call +1 555 0100", "scope": "CALL 555"}


def test_names_in_the_url_are_ignored() -> None:
    banner = banner_from_query({"error": "reconnect_wrong_account", "platform": "x", **EVIL}, user_id=None)
    assert banner.code == "reconnect_wrong_account"
    assert "EVIL" not in json.dumps(asdict(banner)) and "555" not in json.dumps(asdict(banner))


def test_unknown_codes_render_the_generic_entry_even_for_tiktok() -> None:
    for platform in ("tiktok", "x", "<b>evil</b>"):
        banner = banner_from_query({"error": "Call +1 555 0100", "platform": platform}, user_id=None)
        assert banner.code == banner.label == "token_exchange_failed"
        assert "555" not in json.dumps(asdict(banner)) and "evil" not in json.dumps(asdict(banner))


def test_tiktoks_documented_codes_pass_through_from_the_url_and_nothing_else() -> None:
    """The spec passes TikTok's own codes through; from the URL only its documented OAuth ones."""
    banner = banner_from_query({"error": "invalid_grant", "platform": "tiktok"}, user_id=None)
    assert banner.code == banner.label == "invalid_grant"
    for code in ("invalid_grant_call_555", "scope_not_authorized"):
        assert banner_from_query({"error": code, "platform": "tiktok"}, user_id=None).code == "token_exchange_failed"
    assert banner_from_query({"error": "invalid_grant", "platform": "x"}, user_id=None).code == "token_exchange_failed"


def _failed_flow(db, user, **params) -> int:
    result = {"status": "error", "platform": "x", "code": "reconnect_wrong_account", "params": params}
    flow = OAuthFlow(
        state_hash="h" * 64,
        user_id=user.id,
        workspace_id=user.active_workspace_id,
        platform="x",
        intent="reconnect",
        expires_at=datetime.now(UTC),
        result=json.dumps(result),
    )
    db.add(flow)
    db.commit()
    return flow.id


def test_names_come_from_the_callers_own_flow_row(db, team_a, team_b) -> None:
    flow_id = _failed_flow(db, team_a.owner, expected="@acme", actual="@jane")
    query = {"error": "reconnect_wrong_account", "platform": "x", "flow": str(flow_id), **EVIL}
    mine = banner_from_query(query, team_a.owner.id)
    assert (mine.expected, mine.actual) == ("@acme", "@jane")
    theirs = banner_from_query(query, team_b.owner.id)  # someone else's flow id: no names at all
    assert theirs.expected == theirs.actual == "" and "EVIL" not in json.dumps(asdict(theirs))


def test_a_wrong_account_banner_without_names_has_no_empty_placeholders() -> None:
    from socializioz import i18n

    banner = banner_from_query({"error": "reconnect_wrong_account", "platform": "x"}, user_id=None)
    for key in ("cause_key", "what_key"):
        assert "{" not in i18n.translate("en", getattr(banner, key)) and "{" not in i18n.translate(
            "ar", getattr(banner, key)
        )
