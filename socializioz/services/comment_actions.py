"""Reply, hide, unhide, delete, like and unlike a comment (issue 13), each checked on the server:
the caller is a member of the comment's workspace whose role may moderate (the workspace setting),
the account's granted scopes allow the action, then the platform is asked, and only after it
agreed is the local row changed and the workspace's open tabs told.

A refusal from the platform is classified (domain/errors): a missing permission names the scope
and the page offers Reconnect; an expired or revoked token turns the account amber as everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, select

from socializioz.db import run_db, session_scope
from socializioz.domain.comment_rules import (
    MAX_REPLY_CHARS,
    action_allowed,
    comment_capability,
    may_moderate,
    reply_target,
)
from socializioz.domain.errors import ErrorKind, ProviderError
from socializioz.integrations.base import Provider
from socializioz.integrations.factory import get_provider
from socializioz.models import EngagementComment, SocialAccount, User
from socializioz.security.credentials import load_tokens
from socializioz.services import notify
from socializioz.services.account_tokens import ActingAccount, acting_account, mark_needs_reconnect
from socializioz.services.comments import caller_role, comment_in_workspace, members_may_moderate
from socializioz.services.errors import NotFound, PermissionDenied, ValidationError
from socializioz.services.persisted import saved_id

GONE = "100/33"  # Graph: the object does not exist (any more) or cannot be loaded


@dataclass(frozen=True)
class ActionResult:
    """``ok``, or the i18n ``code`` of why not (``scope`` for a missing permission)."""

    ok: bool
    code: str = ""
    scope: str = ""


@dataclass(frozen=True)
class _Target:
    comment_id: int
    external_id: str
    parent_external_id: str | None
    post_external_id: str
    account_id: int
    account_external_id: str
    acting: ActingAccount


def _target(user_id: int, workspace_id: int, comment_id: int, action: str) -> _Target:
    with session_scope() as db:
        return checked_target(db, user_id, workspace_id, comment_id, action)


def checked_target(db: Session, user_id: int, workspace_id: int, comment_id: int, action: str) -> _Target:
    """Every server-side check, in one transaction; raises ``ServiceError`` subclasses."""
    role = caller_role(db, db.get(User, user_id), workspace_id)
    row = comment_in_workspace(db, workspace_id, comment_id)
    if not may_moderate(role, members_may_moderate(db, workspace_id)):
        raise PermissionDenied("comments.error.not_moderator")
    account = db.get(SocialAccount, row.account_id)
    assert account is not None  # comment_in_workspace checked it
    capability = comment_capability(account.platform, account.connection_method, account.granted_scopes.split())
    if not action_allowed(action, capability):
        if capability.manage:  # the platform has no such action (a like on Instagram)
            raise ValidationError("comments.error.unsupported")
        raise PermissionDenied("comments.error.missing_permission", scope=capability.missing_scope)
    tokens = load_tokens(db, saved_id(account))
    acting = acting_account(account, tokens) if tokens else None
    if acting is None:
        raise NotFound("comments.not_found")
    return _Target(
        saved_id(row),
        row.external_id,
        row.parent_external_id,
        row.post_external_id,
        saved_id(account),
        account.external_id,
        acting,
    )


async def _call(provider: Provider, target: _Target, action: str, text: str) -> str:
    account = target.acting.ref
    if action == "reply":
        return await provider.reply_comment(account, reply_target(target.external_id, target.parent_external_id), text)
    if action in ("hide", "unhide"):
        await provider.hide_comment(account, target.external_id, action == "hide")
    elif action == "delete":
        await provider.delete_comment(account, target.external_id)
    else:
        await provider.like_comment(account, target.external_id, action == "like")
    return ""


def _apply(target: _Target, workspace_id: int, action: str, text: str, reply_id: str, now: datetime) -> None:
    """The local row follows what the platform now holds."""
    with session_scope() as db:
        row = db.get(EngagementComment, target.comment_id)
        if row is None:
            return
        if action == "reply" and reply_id:
            parent = reply_target(target.external_id, target.parent_external_id)
            exists = db.exec(
                select(EngagementComment.id).where(
                    EngagementComment.account_id == target.account_id, EngagementComment.external_id == reply_id
                )
            ).first()
            if exists is None:  # a webhook echo may have stored it already
                db.add(
                    EngagementComment(
                        workspace_id=workspace_id,
                        account_id=target.account_id,
                        external_id=reply_id,
                        post_external_id=target.post_external_id,
                        parent_external_id=parent,
                        author_external_id=target.account_external_id,
                        author_name=_account_name(db, target.account_id),
                        text=text,
                        created_at=now,
                        by_account=True,
                        updated_at=now,
                    )
                )
        elif action in ("hide", "unhide"):
            row.hidden = action == "hide"
        elif action == "delete":
            row.deleted = True
        elif action in ("like", "unlike"):
            row.liked = action == "like"
        row.updated_at = now
        db.add(row)
        db.commit()


def _account_name(db: Session, account_id: int) -> str:
    account = db.get(SocialAccount, account_id)
    return account.name if account else ""


def _needs_reconnect(account_id: int, code: str) -> None:
    with session_scope() as db:
        mark_needs_reconnect(db, account_id, code)
        db.commit()


def _checked_text(action: str, text: str) -> str:
    text = (text or "").strip()
    if action != "reply":
        return ""
    if not text:
        raise ValidationError("comments.error.empty_reply")
    if len(text) > MAX_REPLY_CHARS:
        raise ValidationError("comments.error.reply_too_long", limit=MAX_REPLY_CHARS)
    return text


async def moderate(
    user_id: int,
    workspace_id: int,
    comment_id: int,
    action: str,
    text: str = "",
    *,
    provider_factory: Callable[[str], Provider] = get_provider,
    now: datetime | None = None,
) -> ActionResult:
    """One action on one comment. Raises ``ServiceError`` (not found, not a moderator, missing
    permission, bad input) before anything is sent; a platform refusal comes back as a result."""
    text = _checked_text(action, text)
    target = await run_db(_target, user_id, workspace_id, comment_id, action)
    provider = provider_factory(target.acting.client)
    try:
        reply_id = await _call(provider, target, action, text)
    except ProviderError as error:
        if error.kind is ErrorKind.NEEDS_RECONNECT:
            await run_db(_needs_reconnect, target.account_id, error.code)
            await notify.workspace_changed(workspace_id)
            return ActionResult(False, "comments.error.reconnect")
        if error.kind is ErrorKind.MISSING_PERMISSION:
            return ActionResult(False, "comments.error.missing_permission", error.missing_scope or "")
        if error.kind is ErrorKind.UNSUPPORTED:
            return ActionResult(False, "comments.error.unsupported")
        if error.provider_code == GONE:  # deleted on the platform meanwhile: the row follows
            await run_db(_apply, target, workspace_id, "delete", "", "", now or datetime.now(UTC))
            await notify.topic_changed(workspace_id, notify.COMMENTS)
            return ActionResult(False, "comments.error.gone")
        return ActionResult(False, "comments.error.temporary")
    finally:
        await provider.aclose()
    await run_db(_apply, target, workspace_id, action, text, reply_id, now or datetime.now(UTC))
    await notify.topic_changed(workspace_id, notify.COMMENTS)
    return ActionResult(True)
