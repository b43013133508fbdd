"""Every event handler of the comments states, called as a hostile script would (with another
workspace's comment and account ids), changes nothing there and never reaches the platform.

The handlers are enumerated from the state classes: a new handler is called here too, with a
foreign id for each of its parameters, so one that forgets the server-side check fails this test.
"""

from __future__ import annotations

import inspect
from datetime import UTC, datetime

import pytest
import reflex as rx
from sqlmodel import select

import socializioz.pages  # noqa: F401  (the app's import order: pages before states)
from socializioz.models import EngagementComment, Workspace
from socializioz.services import comment_actions
from socializioz.state.comments import CommentsBadgeState, CommentSettingsState, CommentsState
from socializioz.state.session import SessionState
from tests.unit.accounts_fixtures import team_a, team_b  # noqa: F401

STATES = (CommentsState, CommentSettingsState, CommentsBadgeState)
FULL = "pages_show_list pages_read_engagement pages_read_user_content pages_manage_engagement"


def _comment(db, team, external_id: str, **fields) -> EngagementComment:
    team.facebook.granted_scopes = FULL
    db.add(team.facebook)
    row = EngagementComment(
        workspace_id=team.workspace_id,
        account_id=team.facebook.id,
        external_id=external_id,
        post_external_id=f"{team.facebook.external_id}_1",
        author_name="Jane",
        text="hello",
        created_at=datetime.now(UTC),
        **fields,
    )
    db.add(row)
    db.commit()
    return row


async def _state(monkeypatch, state_cls, user, workspace_id):
    monkeypatch.setattr(SessionState, "_current_user", lambda self, db: user)
    root = rx.State(_reflex_internal_init=True)
    session = await root.get_state(SessionState)
    session.workspace_id = workspace_id
    return await root.get_state(state_cls)


async def _run(call):
    result = call()
    if hasattr(result, "__aiter__"):
        return [item async for item in result]
    return [await result] if hasattr(result, "__await__") else [result]


def _handlers(state_cls) -> dict[str, object]:
    """The event handlers written in the class (Reflex's own ``setvar`` aside)."""
    return {
        name: handler
        for name, handler in state_cls.event_handlers.items()
        if getattr(getattr(handler, "fn", None), "__qualname__", "").startswith(state_cls.__name__ + ".")
    }


def _args(handler, foreign_comment: int, foreign_account: int) -> list[object]:
    params = list(inspect.signature(handler.fn).parameters.values())[1:]
    args: list[object] = []
    for p in params:
        if p.annotation in (bool, "bool"):
            args.append(True)
        elif "account" in p.name or p.name == "value":
            args.append(str(foreign_account))
        elif "str" in str(p.annotation):
            args.append(str(foreign_comment))
        else:
            args.append(foreign_comment)
    return args


def test_the_handlers_this_test_calls_are_all_there_are():
    names = {n for cls in STATES for n in _handlers(cls)}
    assert {"hide", "unhide", "like", "unlike", "ask_delete", "confirm_delete_comment", "send_reply"} <= names
    assert "set_members_may_moderate" in names and "set_account" in names


@pytest.mark.parametrize("role", ("owner", "admin", "member"))
@pytest.mark.parametrize("state_cls", STATES, ids=lambda c: c.__name__)
async def test_every_handler_refuses_another_workspaces_ids(db, team_a, team_b, monkeypatch, role, state_cls):
    foreign = _comment(db, team_b, "b_1_c1")
    own = _comment(db, team_a, "a_1_c1")
    calls: list[object] = []

    async def platform_call(*args, **kwargs):
        calls.append(args)
        return ""

    monkeypatch.setattr(comment_actions, "_call", platform_call)
    for name, handler in _handlers(state_cls).items():
        state = await _state(monkeypatch, state_cls, team_a.by_role(role), team_a.workspace_id)
        if state_cls is CommentsState:  # the ids a tab keeps between events, pointed at the foreign row
            state.reply_to, state.reply_text, state.confirm_delete = foreign.id, "hijack", foreign.id
        await _run(lambda h=handler, st=state: h.fn(st, *_args(h, foreign.id, team_b.facebook.id)))
        if state_cls is CommentsState:
            shown = {t.id for t in state.threads} | {r.id for t in state.threads for r in t.replies}
            assert foreign.id not in shown, f"{name} showed another workspace's comment"
        assert calls == [], f"{name} reached the platform with another workspace's comment"
    db.expire_all()
    row = db.get(EngagementComment, foreign.id)
    assert not row.hidden and not row.deleted and not row.liked
    replies = db.exec(select(EngagementComment).where(EngagementComment.parent_external_id == "b_1_c1")).all()
    assert replies == []
    assert db.get(Workspace, team_b.workspace_id).members_may_moderate is False
    assert db.get(EngagementComment, own.id) is not None


async def test_member_without_moderation_rights_is_refused_on_own_workspace(db, team_a, monkeypatch):
    own = _comment(db, team_a, "a_1_c9")
    calls: list[object] = []

    async def platform_call(*args, **kwargs):
        calls.append(args)
        return ""

    monkeypatch.setattr(comment_actions, "_call", platform_call)
    for name in ("hide", "unhide", "like", "unlike"):
        state = await _state(monkeypatch, CommentsState, team_a.member, team_a.workspace_id)
        await _run(lambda n=name, st=state: CommentsState.event_handlers[n].fn(st, own.id))
    state = await _state(monkeypatch, CommentsState, team_a.member, team_a.workspace_id)
    state.confirm_delete = own.id
    await _run(lambda: CommentsState.confirm_delete_comment.fn(state))
    assert calls == []
    settings = await _state(monkeypatch, CommentSettingsState, team_a.member, team_a.workspace_id)
    await _run(lambda: CommentSettingsState.set_members_may_moderate.fn(settings, True))
    db.expire_all()
    assert db.get(Workspace, team_a.workspace_id).members_may_moderate is False
    owner = await _state(monkeypatch, CommentsState, team_a.owner, team_a.workspace_id)
    await _run(lambda: CommentsState.hide.fn(owner, own.id))
    assert len(calls) == 1  # the same event from the owner does reach the platform
