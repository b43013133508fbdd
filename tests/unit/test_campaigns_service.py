"""Campaigns: the list with post counts and accounts, one campaign's posts, create and rename with
their validation, and another workspace's campaigns out of reach."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from socializioz.models import CampaignAccount
from socializioz.services.campaigns import campaign_detail, create_campaign, list_campaigns, rename_campaign
from socializioz.services.errors import NotFound, ValidationError
from tests.unit.accounts_fixtures import outsider, team_a, team_b  # noqa: F401  (fixtures)
from tests.unit.posts_fixtures import count_statements, make_campaign, make_post

T0 = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def test_list_counts_posts_and_gathers_accounts(db, team_a) -> None:
    spring = make_campaign(db, team_a.workspace_id, "Spring")
    autumn = make_campaign(db, team_a.workspace_id, "Autumn")
    db.add(CampaignAccount(campaign_id=spring.id, account_id=team_a.tiktok.id))  # assigned, no post yet
    for _ in range(3):
        make_post(db, team_a.workspace_id, team_a.owner.id, [(team_a.facebook, "scheduled")], campaign=spring)
    make_post(db, team_a.workspace_id, team_a.owner.id, [(team_a.instagram, "failed")], campaign=spring)
    db.commit()
    with count_statements() as seen:
        campaigns = list_campaigns(db, team_a.member, team_a.workspace_id)
    assert len(seen) <= 4
    assert [c.name for c in campaigns] == ["Autumn", "Spring"]
    assert campaigns[0].post_count == 0 and campaigns[0].accounts == []
    assert campaigns[1].post_count == 4
    assert {a.platform for a in campaigns[1].accounts} == {"facebook", "instagram", "tiktok"}
    assert len(campaigns[1].accounts) == 3  # each account once
    assert autumn.id != spring.id


def test_detail_lists_its_posts_and_refuses_foreign_ids(db, team_a, team_b, outsider) -> None:
    spring = make_campaign(db, team_a.workspace_id, "Spring")
    mine = make_post(
        db, team_a.workspace_id, team_a.owner.id, [(team_a.facebook, "published")], scheduled_at=T0, campaign=spring
    )
    make_post(db, team_a.workspace_id, team_a.owner.id, [(team_a.facebook, "scheduled")], scheduled_at=T0)
    db.commit()
    detail = campaign_detail(db, team_a.member, team_a.workspace_id, spring.id)
    assert [p.id for p in detail.posts] == [mine.id]
    assert detail.campaign.post_count == 1 and detail.posts[0].campaign_name == "Spring"
    for user, workspace_id in [
        (team_b.owner, team_b.workspace_id),
        (team_b.owner, team_a.workspace_id),
        (outsider, team_a.workspace_id),
    ]:
        with pytest.raises(NotFound):
            campaign_detail(db, user, workspace_id, spring.id)
    with pytest.raises(NotFound):
        list_campaigns(db, outsider, team_a.workspace_id)


def test_create_and_rename_validate_names(db, team_a, team_b) -> None:
    spring = create_campaign(db, team_a.member, team_a.workspace_id, "  Spring   launch ")
    db.commit()
    assert spring.name == "Spring launch"
    for bad, code in [
        ("", "campaigns.name_required"),
        ("   ", "campaigns.name_required"),
        ("x" * 101, "campaigns.name_too_long"),
        ("spring LAUNCH", "campaigns.name_taken"),
    ]:
        with pytest.raises(ValidationError) as refused:
            create_campaign(db, team_a.member, team_a.workspace_id, bad)
        assert refused.value.code == code
    create_campaign(db, team_b.owner, team_b.workspace_id, "Spring launch")  # another team may use the name
    renamed = rename_campaign(
        db, team_a.admin, team_a.workspace_id, spring.id, "Spring Launch"
    )  # its own name, recased
    assert renamed.name == "Spring Launch"
    with pytest.raises(NotFound):
        rename_campaign(db, team_b.owner, team_b.workspace_id, spring.id, "Stolen")
