"""Two workspaces with an owner, an admin, a member and an outsider each, and accounts in both."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from socializioz.domain.plans import Plan
from socializioz.models import Membership, SocialAccount, User
from socializioz.security.credentials import store_tokens
from socializioz.services import workspaces as ws
from socializioz.services.auth import sign_up


@dataclass
class Team:
    workspace_id: int
    owner: User
    admin: User
    member: User
    facebook: SocialAccount
    instagram: SocialAccount
    tiktok: SocialAccount

    def by_role(self, role: str) -> User:
        return {"owner": self.owner, "admin": self.admin, "member": self.member}[role]


def add_account(db, workspace_id: int, platform: str, external_id: str, **fields) -> SocialAccount:
    defaults = dict(
        name=f"{platform} {external_id}",
        username=external_id,
        granted_scopes="",
        token_expires_at=datetime.now(UTC) + timedelta(days=50),
    )
    account = SocialAccount(
        workspace_id=workspace_id, platform=platform, external_id=external_id, **{**defaults, **fields}
    )
    db.add(account)
    db.flush()
    store_tokens(db, account.id, {"access_token": f"token-{platform}-{external_id}"})
    return account


def make_team(db, label: str) -> Team:
    owner = sign_up(db, f"owner-{label}@example.com", f"Owner {label}", "long-enough-pw")
    workspace = ws.create_workspace(db, owner, f"Team {label}", Plan.PROFESSIONAL)
    others = []
    for role in ("admin", "member"):
        user = sign_up(db, f"{role}-{label}@example.com", f"{role} {label}", "long-enough-pw")
        db.add(Membership(workspace_id=workspace.id, user_id=user.id, role=role))
        others.append(user)
    fb = add_account(
        db,
        workspace.id,
        "facebook",
        f"page-{label}",
        granted_scopes="pages_show_list pages_read_engagement read_insights",
        connection_method="facebook_page",
    )
    ig = add_account(
        db,
        workspace.id,
        "instagram",
        f"ig-{label}",
        granted_scopes="instagram_business_basic",
        connection_method="instagram_login",
    )
    tt = add_account(db, workspace.id, "tiktok", f"tt-{label}", connection_method="oauth")
    db.commit()
    return Team(workspace.id, owner, others[0], others[1], fb, ig, tt)


@pytest.fixture
def team_a(db) -> Team:
    return make_team(db, "a")


@pytest.fixture
def team_b(db) -> Team:
    return make_team(db, "b")


@pytest.fixture
def outsider(db) -> User:
    return sign_up(db, "outsider@example.com", "Oscar", "long-enough-pw")
