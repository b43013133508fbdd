"""The setup sheets' readiness check against the sandbox's Graph (spec S051): a workspace whose
Facebook connection is stored as the callback stores it (user token + Page token) is checked with
the real Facebook client: a Page with a linked Instagram professional account, one without, a
role that cannot publish, a Page the login no longer manages, an expired token and an outage."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlmodel import select

from socializioz.domain.connect_readiness import INSTAGRAM_LINK_PAGE_HELP, PAGE_ACCESS_HELP, Mark
from socializioz.domain.platforms import FACEBOOK_LOGIN
from socializioz.integrations.sandbox import Fault
from socializioz.models import SocialAccount
from socializioz.security.credentials import store_tokens
from socializioz.services.connect_readiness import ReadinessStatus, check_readiness
from tests.unit.accounts_fixtures import add_account, make_team

from .test_client_flows import connect


@pytest.fixture
def team(db):
    team = make_team(db, "r")
    team.facebook.disconnected_at = team.facebook.connected_at  # the fixture's stand-in Page: not a sandbox one
    db.add(team.facebook)
    db.commit()
    return team


async def _connect_facebook(db, team, make_provider, consent, pages=("1111", "2222"), stored=None):
    """Consent as fb-alice for ``pages``, then store ``stored`` Pages (default: the same) the way
    the callback does: the long-lived user token beside each Page's own token."""
    provider, token = await connect(
        make_provider,
        consent,
        "facebook",
        persona="fb-alice",
        pages=list(pages),
        scopes=list(FACEBOOK_LOGIN.consent_scopes),
    )
    listed = {p.external_id: p for p in await provider.list_pages(token.access_token)}
    names = {"1111": "Acme Bakery", "2222": "Acme Catering"}
    for page_id in stored or pages:
        account = add_account(
            db,
            team.workspace_id,
            "facebook",
            page_id,
            name=names[page_id],
            granted_scopes=" ".join(token.scopes),
            connection_method="facebook_page",
        )
        page_token = listed[page_id].access_token if page_id in listed else ""
        store_tokens(db, account.id, {"access_token": token.access_token, "page_access_token": page_token})
    db.commit()
    return token.access_token


def _lines(result):
    return [(i.mark, i.message, i.page, i.instagram, i.fix_url) for i in result.items]


async def test_instagram_sheet_linked_and_not_linked(db, team, make_provider, consent):
    await _connect_facebook(db, team, make_provider, consent)
    result = await check_readiness(team.member.id, team.workspace_id, "instagram", provider_factory=make_provider)
    assert result.status is ReadinessStatus.CHECKED and result.problem == ""
    assert _lines(result) == [
        (Mark.WARN, "connect.ready.ig_missing", "Acme Catering", "", INSTAGRAM_LINK_PAGE_HELP),
        (Mark.READY, "connect.ready.ig_linked", "Acme Bakery", "acme_bakery", ""),
    ]


async def test_instagram_linked_later_shows_up_on_the_next_check(db, team, make_provider, consent, state, monkeypatch):
    await _connect_facebook(db, team, make_provider, consent)
    monkeypatch.setitem(state.pages, "2222", replace(state.pages["2222"], instagram_id="17841400000000001"))
    result = await check_readiness(team.member.id, team.workspace_id, "instagram", provider_factory=make_provider)
    assert {(i.page, i.mark) for i in result.items} == {("Acme Bakery", Mark.READY), ("Acme Catering", Mark.READY)}


async def test_facebook_sheet_roles_ready_then_one_role_cannot_publish(
    db, team, make_provider, consent, state, monkeypatch
):
    await _connect_facebook(db, team, make_provider, consent)
    result = await check_readiness(team.owner.id, team.workspace_id, "facebook", provider_factory=make_provider)
    assert _lines(result) == [
        (Mark.READY, "connect.ready.fb_ready", "Acme Bakery", "", ""),
        (Mark.READY, "connect.ready.fb_ready", "Acme Catering", "", ""),  # Editor: CREATE_CONTENT
    ]
    monkeypatch.setitem(state.pages, "2222", replace(state.pages["2222"], tasks=("ANALYZE", "MODERATE")))
    result = await check_readiness(team.owner.id, team.workspace_id, "facebook", provider_factory=make_provider)
    assert _lines(result)[0] == (Mark.WARN, "connect.ready.fb_role", "Acme Catering", "", PAGE_ACCESS_HELP)


async def test_a_page_the_login_no_longer_manages(db, team, make_provider, consent):
    # Catering is stored in the workspace, but the login's current grant covers Acme Bakery only.
    await _connect_facebook(db, team, make_provider, consent, pages=("1111",), stored=("1111", "2222"))
    result = await check_readiness(team.owner.id, team.workspace_id, "facebook", provider_factory=make_provider)
    assert _lines(result)[0] == (Mark.WARN, "connect.ready.page_gone", "Acme Catering", "", PAGE_ACCESS_HELP)


async def test_expired_token_is_a_note_and_the_account_is_left_alone(db, team, make_provider, consent, state):
    user_token = await _connect_facebook(db, team, make_provider, consent)
    assert state.expire(user_token)
    for platform in ("instagram", "facebook"):
        result = await check_readiness(team.owner.id, team.workspace_id, platform, provider_factory=make_provider)
        assert (result.status, result.items, result.problem) == (
            ReadinessStatus.FAILED,
            (),
            "connect.ready.failed_expired",
        )
    stored = db.exec(
        select(SocialAccount).where(
            SocialAccount.workspace_id == team.workspace_id, SocialAccount.external_id != "page-r"
        )
    ).all()
    assert {(a.status, a.last_error) for a in stored} == {("active", None)}  # the check only reads


async def test_graph_outage_is_a_temporary_note(db, team, make_provider, consent, state):
    await _connect_facebook(db, team, make_provider, consent)
    state.inject("facebook.accounts", Fault(kind="server_error"))
    result = await check_readiness(team.owner.id, team.workspace_id, "instagram", provider_factory=make_provider)
    assert (result.status, result.problem) == (ReadinessStatus.FAILED, "connect.ready.failed_temporary")
    again = await check_readiness(team.owner.id, team.workspace_id, "instagram", provider_factory=make_provider)
    assert again.status is ReadinessStatus.CHECKED  # the fault was one call: "Check again" works


async def test_a_revoked_login_turns_the_sheet_to_the_after_consent_check(db, team, make_provider, consent, state):
    await _connect_facebook(db, team, make_provider, consent)
    assert state.revoke(persona_id="fb-alice")
    result = await check_readiness(team.owner.id, team.workspace_id, "facebook", provider_factory=make_provider)
    assert (result.status, result.problem) == (ReadinessStatus.FAILED, "connect.ready.failed_expired")
