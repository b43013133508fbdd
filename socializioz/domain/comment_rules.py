"""Comment management rules (reference/engagement.md §1-2; issue 13): which accounts can have
their comments managed, what the granted scopes allow, who in a workspace may moderate, and
where a reply goes in a thread. Services enforce these on the server; the UI reads them only to
hide what cannot be done.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from socializioz.domain.roles import Role, manages

FACEBOOK_PAGE, INSTAGRAM_LOGIN = "facebook_page", "instagram_login"
# (platform, connection method) -> (scope to read, scope to reply / hide / delete).
COMMENT_SCOPES: dict[tuple[str, str], tuple[str, str]] = {
    ("facebook", FACEBOOK_PAGE): ("pages_read_engagement", "pages_manage_engagement"),
    ("instagram", FACEBOOK_PAGE): ("instagram_basic", "instagram_manage_comments"),
    ("instagram", INSTAGRAM_LOGIN): ("instagram_business_manage_comments", "instagram_business_manage_comments"),
}
ACTIONS = frozenset({"reply", "hide", "unhide", "delete", "like", "unlike"})
LIKE_ACTIONS = frozenset({"like", "unlike"})
MAX_REPLY_CHARS = 2_200  # Instagram's caption/comment ceiling; Facebook allows more (UNVERIFIED for comments)


@dataclass(frozen=True)
class CommentCapability:
    """What an account's granted scopes allow. ``missing_scope`` names the first one lacking."""

    supported: bool
    read: bool = False
    manage: bool = False
    like: bool = False
    missing_scope: str = ""


def has_comment_management(platform: str, connection_method: str) -> bool:
    return (platform, connection_method) in COMMENT_SCOPES


def comment_capability(platform: str, connection_method: str, granted: Iterable[str]) -> CommentCapability:
    scopes = COMMENT_SCOPES.get((platform, connection_method))
    if scopes is None:
        return CommentCapability(supported=False)
    have = set(granted)
    read_scope, write_scope = scopes
    read, manage = read_scope in have, write_scope in have
    missing = "" if read and manage else (read_scope if not read else write_scope)
    return CommentCapability(True, read, manage, manage and platform == "facebook", missing)


def may_moderate(role: str | None, members_may_moderate: bool) -> bool:
    """Owners and admins moderate; members too when the workspace allows it."""
    return manages(role) or (role == Role.MEMBER.value and members_may_moderate)


def reply_target(comment_id: str, parent_id: str | None) -> str:
    """Threads are two levels on Facebook and one on Instagram: answering a reply answers its
    top-level comment (engagement.md §1.2, §2.3)."""
    return parent_id or comment_id


def action_allowed(action: str, capability: CommentCapability) -> bool:
    if action not in ACTIONS or not capability.manage:
        return False
    return capability.like if action in LIKE_ACTIONS else True
