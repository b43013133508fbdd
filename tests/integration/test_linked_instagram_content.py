"""An Instagram account linked to a Facebook Page, read through the Page (platforms.md §1.5 c, §2.4, §2.6):
the sandbox's graph.facebook.com edges in raw HTTP, FacebookProvider against them, and Refresh content for
an account added by "Confirm & Connect Instagram"."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from socializioz.domain.errors import ErrorKind, ProviderError
from socializioz.integrations.sandbox import Fault
from socializioz.models import ConnectionEvent, SocialAccount, SyncedPost
from socializioz.security.credentials import load_tokens, store_tokens
from socializioz.services import accounts_store
from socializioz.services.account_details import account_details
from socializioz.services.connect import _instagram_draft
from socializioz.services.content_sync import sync_content
from socializioz.services.errors import NotFound
from tests.unit.accounts_fixtures import add_account, make_team

from .test_content_sync import ALL_FB_SCOPES, _facebook_account
from .test_sandbox_contract import REDIRECT, approve, creds

IG_ID = "17841400000000001"  # linked to Page 1111 (Acme Bakery); Page 2222 has none
MEDIA_FIELDS = "id,caption,media_type,media_url,permalink,timestamp,like_count,comments_count"
COMMENT_FIELDS = "id,text,timestamp,username,like_count"
GRAPH = "/graph.facebook.com/v21.0"


async def _raw_tokens(raw, scopes: list[str], pages=("1111", "2222")) -> tuple[str, dict[str, str]]:
    """(long-lived user token, {page id: Page token}) through the dialog, in raw HTTP."""
    cid, secret = creds("facebook")
    _, q = await approve(
        raw,
        "/www.facebook.com/v21.0/dialog/oauth",
        {
            "client_id": cid,
            "redirect_uri": REDIRECT + "facebook",
            "state": "s",
            "response_type": "code",
            "scope": ",".join(ALL_FB_SCOPES),
        },
        "fb-alice",
        scopes=scopes,
        pages=list(pages),
    )
    base = {"client_id": cid, "client_secret": secret}
    short = (
        await raw.get(
            f"{GRAPH}/oauth/access_token", params={**base, "redirect_uri": REDIRECT + "facebook", "code": q["code"]}
        )
    ).json()
    user = (
        await raw.get(
            f"{GRAPH}/oauth/access_token",
            params={**base, "grant_type": "fb_exchange_token", "fb_exchange_token": short["access_token"]},
        )
    ).json()["access_token"]
    rows = (await raw.get(f"{GRAPH}/me/accounts", params={"access_token": user})).json()["data"]
    return user, {row["id"]: row["access_token"] for row in rows}


# -- the sandbox, raw ------------------------------------------------------------------------------


async def test_contract_ig_media_and_comments_through_the_page(raw):
    user, pages = await _raw_tokens(raw, ALL_FB_SCOPES)
    for token in (pages["1111"], user):
        r = await raw.get(f"{GRAPH}/{IG_ID}/media", params={"fields": MEDIA_FIELDS, "access_token": token})
        assert r.status_code == 200, r.text
        body = r.json()
        assert set(body) == {"data", "paging"} and set(body["paging"]["cursors"]) == {"before", "after"}
        assert len(body["data"]) == 2
        first = body["data"][0]
        assert set(first) == set(MEDIA_FIELDS.split(","))
        assert first["media_type"] == "IMAGE" and first["media_url"].startswith("data:image/svg+xml")
        assert first["permalink"].startswith("https://www.instagram.com/p/")
        assert first["caption"] == "Behind the counter at 5 am" and first["like_count"] == 40
        assert first["comments_count"] == 2 and first["timestamp"].endswith("+0000")
        assert [m["timestamp"] for m in body["data"]] == sorted((m["timestamp"] for m in body["data"]), reverse=True)
        assert "x-app-usage" in r.headers
    bare = (await raw.get(f"{GRAPH}/{IG_ID}/media", headers={"Authorization": f"Bearer {pages['1111']}"})).json()
    assert all(set(m) == {"id"} for m in bare["data"])  # default fields: id only
    one = (await raw.get(f"{GRAPH}/{IG_ID}/media", params={"limit": "1", "access_token": user})).json()
    assert len(one["data"]) == 1

    media_id = first["id"]
    c = await raw.get(f"{GRAPH}/{media_id}/comments", params={"fields": COMMENT_FIELDS, "access_token": pages["1111"]})
    assert c.status_code == 200, c.text
    comments = c.json()["data"]
    assert [x["text"] for x in comments] == ["Looks great!", "Open on Sunday?"]
    assert set(comments[0]) == set(COMMENT_FIELDS.split(",")) and comments[0]["username"] == "Dana"
    assert comments[0]["timestamp"].endswith("+0000") and isinstance(comments[0]["like_count"], int)
    default = (await raw.get(f"{GRAPH}/{media_id}/comments", params={"access_token": user})).json()["data"]
    assert set(default[0]) == {"id", "text", "timestamp"}  # the documented default


async def test_contract_ig_edges_refuse_what_the_platform_refuses(raw, state):
    user, pages = await _raw_tokens(raw, ALL_FB_SCOPES)
    media_id = state.posts_of(IG_ID)[0].id
    # A token of a Page the account is not linked to, an unknown id, no token.
    other = await raw.get(f"{GRAPH}/{IG_ID}/media", params={"access_token": pages["2222"]})
    assert other.status_code == 400 and other.json()["error"]["code"] == 100
    assert (await raw.get(f"{GRAPH}/{media_id}/comments", params={"access_token": pages["2222"]})).json()["error"][
        "code"
    ] == 100
    assert (await raw.get(f"{GRAPH}/17841499999999999/media", params={"access_token": user})).json()["error"][
        "code"
    ] == 100
    none = await raw.get(f"{GRAPH}/{IG_ID}/media")
    assert none.status_code == 400 and none.json()["error"]["code"] == 190
    # Facebook Page posts keep their own comments edge (Page-post shape, not the Instagram one).
    fb_post = state.posts_of("1111")[0].id
    fb = (await raw.get(f"{GRAPH}/{fb_post}/comments", params={"access_token": pages["1111"]})).json()
    assert "message" in fb["data"][0] and "summary" in fb


@pytest.mark.parametrize("dropped", ["instagram_basic", "pages_read_engagement"])
async def test_contract_ig_edges_need_instagram_basic_and_pages_read_engagement(raw, state, dropped):
    _, pages = await _raw_tokens(raw, [s for s in ALL_FB_SCOPES if s != dropped], pages=("1111",))
    media_id = state.posts_of(IG_ID)[0].id
    for path in (f"{IG_ID}/media", f"{media_id}/comments"):
        r = await raw.get(f"{GRAPH}/{path}", params={"access_token": pages["1111"]})
        err = r.json()["error"]
        assert r.status_code == 403 and err["code"] == 200 and dropped in err["message"]


async def test_contract_ig_faults_and_expired_page_token(raw, state):
    user, pages = await _raw_tokens(raw, ALL_FB_SCOPES, pages=("1111",))
    media_id = state.posts_of(IG_ID)[0].id
    await raw.post("/_control/faults", json={"endpoint": "facebook.ig_media", "fault": "server_error", "status": 503})
    assert (await raw.get(f"{GRAPH}/{IG_ID}/media", params={"access_token": user})).status_code == 503
    assert (await raw.get(f"{GRAPH}/{IG_ID}/media", params={"access_token": user})).status_code == 200
    await raw.post("/_control/faults", json={"endpoint": "facebook.ig_comments", "fault": "rate_limit"})
    limited = await raw.get(f"{GRAPH}/{media_id}/comments", params={"access_token": user})
    assert limited.status_code >= 400
    # The Page-post comments fault does not touch Instagram media, and the other way round.
    await raw.post("/_control/faults", json={"endpoint": "facebook.comments", "fault": "server_error", "status": 503})
    assert (await raw.get(f"{GRAPH}/{media_id}/comments", params={"access_token": user})).status_code == 200
    await raw.delete("/_control/faults")
    await raw.post("/_control/tokens/expire", json={"token": pages["1111"]})
    expired = (await raw.get(f"{GRAPH}/{IG_ID}/media", params={"access_token": pages["1111"]})).json()["error"]
    assert expired["code"] == 190


async def test_contract_new_media_and_comment_show_up(raw, state):
    user, _ = await _raw_tokens(raw, ALL_FB_SCOPES, pages=("1111",))
    post = (
        await raw.post(
            "/_control/posts", json={"platform": "instagram", "owner_id": IG_ID, "caption": "Baguettes at noon"}
        )
    ).json()["id"]
    await raw.post("/_control/comments", json={"post_id": post, "text": "Save me one", "author": "lee.eats"})
    media = (
        await raw.get(f"{GRAPH}/{IG_ID}/media", params={"fields": "id,caption,comments_count", "access_token": user})
    ).json()["data"]
    assert media[0] == {"id": post, "caption": "Baguettes at noon", "comments_count": 1}
    comments = (
        await raw.get(f"{GRAPH}/{post}/comments", params={"fields": COMMENT_FIELDS, "access_token": user})
    ).json()["data"]
    assert comments[0]["username"] == "lee.eats" and comments[0]["text"] == "Save me one"


# -- FacebookProvider against the sandbox ---------------------------------------------------------


async def test_client_reads_linked_instagram_media_and_comments(make_provider, consent):
    from .test_client_flows import connect

    provider, token = await connect(make_provider, consent, "facebook", persona="fb-alice", pages=["1111"])
    page = next(p for p in await provider.list_pages(token.access_token) if p.external_id == "1111")
    assert page.instagram.external_id == IG_ID
    media = await provider.instagram_media(page.access_token, IG_ID, limit=10)
    assert [m.caption for m in media] == ["Behind the counter at 5 am", "Croissant lamination, step 3"]
    first = media[0]
    assert first.media_url.startswith("data:image/svg+xml") and first.permalink.startswith(
        "https://www.instagram.com/p/"
    )
    assert first.reactions == 40 and first.comments == 2 and first.shares == 0
    assert first.published_at is not None and first.published_at.tzinfo is not None
    comments = await provider.instagram_comments(page.access_token, first.external_id, limit=25)
    assert [(c.author, c.text) for c in comments] == [("Dana", "Looks great!"), ("Lee", "Open on Sunday?")]
    assert comments[0].external_id and comments[0].created_at is not None
    assert len(await provider.instagram_comments(token.access_token, first.external_id, limit=1)) == 1
    await provider.aclose()


@pytest.mark.parametrize("dropped", ["instagram_basic", "pages_read_engagement"])
async def test_client_names_the_missing_permission(make_provider, consent, dropped):
    from .test_client_flows import connect

    scopes = [s for s in ALL_FB_SCOPES if s != dropped]
    provider, token = await connect(
        make_provider, consent, "facebook", persona="fb-alice", pages=["1111"], scopes=scopes
    )
    with pytest.raises(ProviderError) as err:
        await provider.instagram_media(token.access_token, IG_ID)
    assert err.value.kind is ErrorKind.MISSING_PERMISSION and err.value.missing_scope == dropped
    assert err.value.platform == "facebook"


@pytest.mark.parametrize(
    "fault,kind",
    [
        ("server_error", ErrorKind.TEMPORARY),
        ("rate_limit", ErrorKind.TEMPORARY),
        ("timeout", ErrorKind.TEMPORARY),
        ("malformed_json", ErrorKind.TEMPORARY),
        ("revoked_token", ErrorKind.NEEDS_RECONNECT),
    ],
)
async def test_client_classifies_ig_media_failures(make_provider, consent, state, fault, kind):
    from .test_client_flows import connect

    provider, token = await connect(make_provider, consent, "facebook", persona="fb-alice", pages=["1111"])
    state.inject("facebook.ig_media", Fault(kind=fault))
    with pytest.raises(ProviderError) as err:
        await provider.instagram_media(token.access_token, IG_ID)
    assert err.value.kind is kind
    state.inject("facebook.ig_comments", Fault(kind=fault))
    with pytest.raises(ProviderError) as err:
        await provider.instagram_comments(token.access_token, state.posts_of(IG_ID)[0].id)
    assert err.value.kind is kind


# -- Refresh content for an account added by "Confirm & Connect Instagram" -------------------------


@pytest.fixture
def team(db):
    return make_team(db, "li")


async def _linked_instagram(db, team, make_provider, consent, scopes=ALL_FB_SCOPES):
    """The Facebook Page account, then its Instagram account exactly as the confirm step saves it."""
    fb, _, page_token = await _facebook_account(db, team, make_provider, consent, scopes=scopes)
    item = {
        "external_id": IG_ID,
        "username": "acme_bakery",
        "name": "Acme Bakery",
        "avatar_url": "",
        "followers": 1234,
        "page_name": "Acme Bakery",
        "page_external_id": "1111",
    }
    draft = _instagram_draft(db, team.workspace_id, item)
    ig = accounts_store.save_account(db, team.workspace_id, draft, "connected", datetime.now(UTC))
    db.commit()
    assert (ig.platform, ig.connection_method, ig.parent_account_id) == ("instagram", "facebook_page", fb.id)
    assert load_tokens(db, ig.id) == {"access_token": page_token, "via_page": "1111"}
    return fb, ig, page_token


async def test_refresh_content_fills_the_panel_of_a_page_linked_instagram(db, team, make_provider, consent, state):
    _, ig, _ = await _linked_instagram(db, team, make_provider, consent)
    result = await sync_content(team.member.id, team.workspace_id, ig.id, provider_factory=make_provider)
    assert result.status == "synced" and result.posts == 2 and result.new_posts == 2
    posts = account_details(db, team.member, team.workspace_id, ig.id).posts
    assert [p["caption"] for p in posts] == ["Behind the counter at 5 am", "Croissant lamination, step 3"]
    assert posts[0]["media_url"].startswith("data:image/svg+xml") and posts[0]["reactions"] == 40
    assert posts[0]["permalink"].startswith("https://www.instagram.com/p/") and posts[0]["comments"] == 2
    assert posts[0]["comment_preview"] == [
        {"author": "Dana", "text": "Looks great!"},
        {"author": "Lee", "text": "Open on Sunday?"},
    ]
    media = state.add_post("instagram", IG_ID, "Fresh baguettes", "data:image/svg+xml;base64,AA==")
    state.add_comment(media.id, "Yum", "lee.eats")
    again = await sync_content(team.member.id, team.workspace_id, ig.id, provider_factory=make_provider)
    assert again.status == "synced" and again.posts == 3 and again.new_posts == 1
    newest = account_details(db, team.member, team.workspace_id, ig.id).posts[0]
    assert newest["caption"] == "Fresh baguettes" and newest["comment_preview"] == [
        {"author": "lee.eats", "text": "Yum"}
    ]
    db.expire_all()
    assert db.get(SocialAccount, ig.id).status == "active"
    rows = db.exec(select(SyncedPost).where(SyncedPost.account_id == ig.id)).all()
    assert len(rows) == 3 and all(r.workspace_id == team.workspace_id for r in rows)


async def test_page_linked_instagram_is_no_longer_unsupported_but_legacy_is(db, team, make_provider, consent):
    _, ig, _ = await _linked_instagram(db, team, make_provider, consent)
    assert (
        await sync_content(team.owner.id, team.workspace_id, ig.id, provider_factory=make_provider)
    ).status != "unsupported"
    legacy = add_account(db, team.workspace_id, "instagram", "17841400000000999", connection_method="")
    db.commit()
    assert (
        await sync_content(team.owner.id, team.workspace_id, legacy.id, provider_factory=make_provider)
    ).status == "unsupported"


async def test_expired_page_token_turns_the_linked_instagram_amber(db, team, make_provider, consent, state):
    _, ig, page_token = await _linked_instagram(db, team, make_provider, consent)
    state.expire(page_token)
    result = await sync_content(team.owner.id, team.workspace_id, ig.id, provider_factory=make_provider)
    assert result.status == "needs_reconnect"
    db.expire_all()
    assert account_details(db, team.owner, team.workspace_id, ig.id).account.needs_reconnect is True


@pytest.mark.parametrize("endpoint", ["facebook.ig_media", "facebook.ig_comments"])
async def test_outage_changes_nothing(db, team, make_provider, consent, state, endpoint):
    _, ig, _ = await _linked_instagram(db, team, make_provider, consent)
    await sync_content(team.owner.id, team.workspace_id, ig.id, provider_factory=make_provider)
    state.inject(endpoint, Fault(kind="server_error"))
    result = await sync_content(team.owner.id, team.workspace_id, ig.id, provider_factory=make_provider)
    assert result.status == "temporary"
    db.expire_all()
    row = db.get(SocialAccount, ig.id)
    assert row.status == "active" and row.last_error is None
    assert len(account_details(db, team.owner, team.workspace_id, ig.id).posts) == 2  # the last sync is kept
    failed = db.exec(
        select(ConnectionEvent).where(
            ConnectionEvent.account_id == ig.id, ConnectionEvent.kind == "content_sync_failed"
        )
    ).all()
    assert len(failed) == 1


@pytest.mark.parametrize("dropped", ["instagram_basic", "pages_read_engagement"])
async def test_missing_permission_is_named(db, team, make_provider, consent, raw, dropped):
    from .test_client_flows import connect

    _, ig, _ = await _linked_instagram(db, team, make_provider, consent)
    # The person reconnects the Page and unticks a permission: the stored Page token now lacks it.
    _, token = await connect(
        make_provider,
        consent,
        "facebook",
        persona="fb-alice",
        pages=["1111"],
        scopes=[s for s in ALL_FB_SCOPES if s != dropped],
    )
    rows = (
        await raw.get(f"{GRAPH}/me/accounts", params={"fields": "id,access_token", "access_token": token.access_token})
    ).json()["data"]
    store_tokens(db, ig.id, {"access_token": rows[0]["access_token"], "via_page": "1111"})
    db.commit()
    result = await sync_content(team.owner.id, team.workspace_id, ig.id, provider_factory=make_provider)
    assert result.status == "missing_permission" and result.scope == dropped


async def test_linked_instagram_sync_is_only_for_its_workspace(db, team, make_provider, consent):
    _, ig, _ = await _linked_instagram(db, team, make_provider, consent)
    other = make_team(db, "lo")
    for user in (other.owner, other.member):
        for workspace_id in (team.workspace_id, other.workspace_id):
            with pytest.raises(NotFound):
                await sync_content(user.id, workspace_id, ig.id, provider_factory=make_provider)
