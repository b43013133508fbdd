"""The spec: "Disconnecting does not revoke permissions on the social platform itself." Against the
sandbox, for every platform: an account connected through the real consent flow is disconnected in
the app, and the platform still honours the token it had issued (the person removes the app's
access on the platform, as the disconnect dialog tells them)."""

from __future__ import annotations

import pytest

from socializioz.security.credentials import store_tokens
from socializioz.services.disconnect import disconnect_account
from tests.integration.test_client_flows import connect
from tests.unit.accounts_fixtures import add_account, make_team

CHOICES = {
    "facebook": {"persona": "fb-alice", "pages": ["1111"]},
    "instagram": {"persona": "ig-studio"},
    "tiktok": {"persona": "tt-acme"},
    "x": {"persona": "x-acme"},
    "linkedin": {"persona": "li-jane"},
}


@pytest.mark.parametrize("platform", sorted(CHOICES))
async def test_disconnect_leaves_the_platforms_grant_alone(db, make_provider, consent, platform) -> None:
    provider, token = await connect(make_provider, consent, platform, **CHOICES[platform])
    identity = await provider.fetch_identity(token.access_token)
    team = make_team(db, f"grant-{platform}")
    account = add_account(db, team.workspace_id, platform, identity.external_id, name=identity.name or platform)
    store_tokens(db, account.id, {"access_token": token.access_token})
    db.commit()

    disconnect_account(db, team.owner, team.workspace_id, account.id)

    again = await provider.fetch_identity(token.access_token)  # the platform still honours the grant
    assert again.external_id == identity.external_id
