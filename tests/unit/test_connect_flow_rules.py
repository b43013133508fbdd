"""The OAuth flow record's rules: single use, 10-minute life, bound to platform, user and plan."""

from __future__ import annotations

from datetime import timedelta

import pytest

from socializioz.domain.plans import Plan
from socializioz.models import OAuthFlow
from socializioz.services import auth, connect, oauth_flows, workspaces
from socializioz.services.errors import ValidationError


@pytest.fixture
def owner(db):
    return auth.sign_up(db, "owner@example.test", "Owner", "a-long-password")


def _flow(db, owner, platform="tiktok"):
    return oauth_flows.create_flow(
        db,
        user_id=owner.id,
        workspace_id=owner.active_workspace_id,
        platform=platform,
        intent="connect",
        return_path="/connections",
        client_token="tab",
        with_pkce=True,
    )


def test_flow_is_consumed_exactly_once(db, owner):
    new = _flow(db, owner)
    flow, verifier = oauth_flows.consume_flow(db, new.state, "tiktok")
    assert flow.id == new.flow_id and verifier == new.code_verifier
    with pytest.raises(oauth_flows.FlowRejected) as replay:
        oauth_flows.consume_flow(db, new.state, "tiktok")
    assert replay.value.code == "invalid_state"


def test_state_rules(db, owner, clock):
    with pytest.raises(oauth_flows.FlowRejected, match="missing_state"):
        oauth_flows.consume_flow(db, None, "tiktok")
    with pytest.raises(oauth_flows.FlowRejected, match="invalid_state"):
        oauth_flows.consume_flow(db, "forged", "tiktok")
    other_platform = _flow(db, owner)
    with pytest.raises(oauth_flows.FlowRejected, match="invalid_state_data"):
        oauth_flows.consume_flow(db, other_platform.state, "x")
    late = _flow(db, owner)
    clock.shift(timedelta(minutes=10, seconds=1))
    with pytest.raises(oauth_flows.FlowRejected, match="state_expired"):
        oauth_flows.consume_flow(db, late.state, "tiktok")


def test_only_hashes_and_encrypted_verifiers_are_stored(db, owner):
    new = _flow(db, owner)
    row = db.get(OAuthFlow, new.flow_id)
    assert new.state not in row.state_hash
    assert new.code_verifier.encode() not in row.code_verifier_enc


async def test_callback_from_another_user_or_without_session_is_refused(db, owner):
    intruder = auth.sign_up(db, "intruder@example.test", "Intruder", "a-long-password")
    foreign = _flow(db, owner)
    db.commit()
    outcome = await connect.complete_flow("tiktok", {"state": foreign.state, "code": "c"}, intruder.id)
    assert outcome.result.code == "invalid_state"
    expired_session = _flow(db, owner)
    db.commit()
    outcome = await connect.complete_flow("tiktok", {"state": expired_session.state, "code": "c"}, None)
    assert outcome.result.code == "session_expired"
    assert (await connect.complete_flow("tiktok", {}, owner.id)).result.code == "missing_params"


def test_start_refuses_gated_platforms(db, owner):
    with pytest.raises(ValidationError, match=r"connect\.gate\.upgrade"):
        connect.start_flow(db, user_id=owner.id, workspace_id=owner.active_workspace_id, platform="tiktok")
    with pytest.raises(ValidationError, match=r"connect\.gate\.coming_soon"):
        connect.start_flow(db, user_id=owner.id, workspace_id=owner.active_workspace_id, platform="telegram")
    workspaces.change_plan(db, owner, owner.active_workspace_id, Plan.PROFESSIONAL)
    started = connect.start_flow(db, user_id=owner.id, workspace_id=owner.active_workspace_id, platform="x")
    assert "code_challenge_method=S256" in started.authorize_url and "state=" in started.authorize_url
