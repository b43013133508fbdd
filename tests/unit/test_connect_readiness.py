"""The setup sheets' readiness check before consent (spec S051): the rule that turns what Graph says
about the stored Facebook login into ✓/⚠ items with their fix links, and the service around it
with a stand-in Facebook client: only the caller's own workspace is read, only healthy
connections' tokens are used, failures become a note, and no token is in the result."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from socializioz.domain.connect_readiness import (
    INSTAGRAM_LINK_PAGE_HELP,
    PAGE_ACCESS_HELP,
    ConnectedPage,
    GrantedPage,
    Mark,
    ReadinessItem,
    can_publish,
    readiness_items,
)
from socializioz.domain.errors import ErrorKind, ProviderError
from socializioz.integrations.models import LinkedInstagram, PageInfo
from socializioz.security.credentials import store_tokens
from socializioz.services import connect_readiness
from socializioz.services.connect_readiness import MAX_ITEMS, ReadinessStatus, check_readiness
from socializioz.services.errors import NotFound
from tests.unit.accounts_fixtures import add_account, outsider, team_a, team_b  # noqa: F401

ACME = ConnectedPage("1111", "Acme Bakery")
CATERING = ConnectedPage("2222", "Acme Catering")
ADMIN = ("ANALYZE", "ADVERTISE", "MODERATE", "CREATE_CONTENT", "MANAGE")
EDITOR = ("ANALYZE", "CREATE_CONTENT", "MODERATE")


# -- the rule ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tasks", "publishes"),
    [(ADMIN, True), (EDITOR, True), (("MANAGE",), True), (("ANALYZE", "MODERATE"), False), ((), False)],
)
def test_admin_and_editor_tasks_publish_others_do_not(tasks, publishes) -> None:
    assert can_publish(tasks) is publishes
    assert PageInfo("1", "Page", tasks=tasks).can_publish is publishes  # the client's pages use the same rule


def test_facebook_items_ready_role_too_weak_and_page_gone() -> None:
    granted = {
        "1111": GrantedPage("1111", "Acme Bakery", ADMIN),
        "2222": GrantedPage("2222", "Acme Catering", ("ANALYZE",)),
    }
    gone = ConnectedPage("3333", "Old Shop")
    assert readiness_items("facebook", [ACME, CATERING, gone], granted) == [
        ReadinessItem(
            Mark.WARN, "connect.ready.fb_role", "Acme Catering", "", "connect.ready.fix_access", PAGE_ACCESS_HELP
        ),
        ReadinessItem(
            Mark.WARN, "connect.ready.page_gone", "Old Shop", "", "connect.ready.fix_access", PAGE_ACCESS_HELP
        ),
        ReadinessItem(Mark.READY, "connect.ready.fb_ready", "Acme Bakery"),
    ]


def test_instagram_items_linked_not_linked_and_page_gone() -> None:
    granted = {
        "1111": GrantedPage("1111", "Acme Bakery", ADMIN, instagram_username="acme_bakery"),
        "2222": GrantedPage("2222", "Acme Catering", EDITOR),
    }
    items = readiness_items("instagram", [ACME, CATERING, ConnectedPage("3333", "Old Shop")], granted)
    assert items == [
        ReadinessItem(
            Mark.WARN,
            "connect.ready.ig_missing",
            "Acme Catering",
            "",
            "connect.ready.fix_link",
            INSTAGRAM_LINK_PAGE_HELP,
        ),
        ReadinessItem(
            Mark.WARN, "connect.ready.page_gone", "Old Shop", "", "connect.ready.fix_access", PAGE_ACCESS_HELP
        ),
        ReadinessItem(Mark.READY, "connect.ready.ig_linked", "Acme Bakery", instagram="acme_bakery"),
    ]


def test_the_name_graph_gives_now_wins_and_a_ready_item_has_no_fix_link() -> None:
    (item,) = readiness_items("facebook", [ACME], {"1111": GrantedPage("1111", "Acme Bakery & Café", EDITOR)})
    assert (item.page, item.fix_label, item.fix_url) == ("Acme Bakery & Café", "", "")


def test_only_the_two_sheets_have_a_check() -> None:
    with pytest.raises(ValueError):
        readiness_items("tiktok", [ACME], {})


def test_fix_links_are_metas_own_help_pages() -> None:
    assert INSTAGRAM_LINK_PAGE_HELP.startswith("https://help.instagram.com/")
    assert PAGE_ACCESS_HELP.startswith("https://www.facebook.com/help/")


# -- the service, with a stand-in Facebook client --------------------------------------------------


@dataclass
class FakeFacebook:
    """``list_pages`` answers from a table by user token, or raises; every token asked is recorded."""

    pages: dict[str, list[PageInfo]] = field(default_factory=dict)
    fail: ProviderError | None = None
    asked: list[str] = field(default_factory=list)

    def __call__(self, platform: str) -> FakeFacebook:
        assert platform == "facebook"
        return self

    async def list_pages(self, access_token: str) -> list[PageInfo]:
        self.asked.append(access_token)
        if self.fail is not None:
            raise self.fail
        return self.pages.get(access_token, [])

    async def aclose(self) -> None:
        return None


def _page(external_id: str, name: str, tasks=ADMIN, instagram: str | None = None) -> PageInfo:
    linked = LinkedInstagram(f"178{external_id}", username=instagram) if instagram else None
    return PageInfo(external_id, name, access_token=f"page-token-{external_id}", tasks=tasks, instagram=linked)


def _connect_page(db, team, external_id: str, name: str, user_token: str, **fields):
    account = add_account(
        db, team.workspace_id, "facebook", external_id, name=name, connection_method="facebook_page", **fields
    )
    store_tokens(db, account.id, {"access_token": user_token, "page_access_token": f"page-token-{external_id}"})
    db.commit()
    return account


def _disconnect(db, account) -> None:
    account.disconnected_at = datetime.now(UTC)
    db.add(account)
    db.commit()


async def test_member_of_the_workspace_gets_its_pages_and_no_token(db, team_a) -> None:
    _disconnect(db, team_a.facebook)  # the fixture's own Page: this test has its two
    _connect_page(db, team_a, "1111", "Acme Bakery", "user-token-a")
    _connect_page(db, team_a, "2222", "Acme Catering", "user-token-a")
    fake = FakeFacebook(
        {"user-token-a": [_page("1111", "Acme Bakery", instagram="acme_bakery"), _page("2222", "Acme Catering")]}
    )
    result = await check_readiness(team_a.member.id, team_a.workspace_id, "instagram", provider_factory=fake)
    assert result.status is ReadinessStatus.CHECKED and result.problem == "" and result.more == 0
    assert [(i.mark, i.page, i.instagram) for i in result.items] == [
        (Mark.WARN, "Acme Catering", ""),
        (Mark.READY, "Acme Bakery", "acme_bakery"),
    ]
    assert fake.asked == ["user-token-a"]  # one Graph listing for the login both Pages share
    assert "user-token" not in repr(result) and "page-token" not in repr(result)  # names, handles, keys, URLs


async def test_another_workspace_or_an_outsider_is_refused_before_anything_is_read(
    db,
    team_a,
    team_b,
    outsider,
) -> None:
    _connect_page(db, team_a, "1111", "Acme Bakery", "user-token-a")
    fake = FakeFacebook({"user-token-a": [_page("1111", "Acme Bakery")]})
    for user in (team_b.owner, outsider):
        with pytest.raises(NotFound):
            await check_readiness(user.id, team_a.workspace_id, "facebook", provider_factory=fake)
    # team B's own check reads team B only: it has no Facebook Page of its own with a login here.
    result = await check_readiness(team_b.owner.id, team_b.workspace_id, "facebook", provider_factory=fake)
    assert result.status is ReadinessStatus.CHECKED
    assert fake.asked == ["token-facebook-page-b"]  # the fixture's own Page token of team B, never team A's


async def test_no_facebook_connection_means_nothing_to_check_before_consent(db, team_a) -> None:
    _disconnect(db, team_a.facebook)
    fake = FakeFacebook()
    result = await check_readiness(team_a.admin.id, team_a.workspace_id, "facebook", provider_factory=fake)
    assert result == connect_readiness.Readiness(ReadinessStatus.NONE)
    assert fake.asked == []


@pytest.mark.parametrize(
    "unhealthy",
    [
        {"status": "needs_reconnect"},
        {"last_error": "token_invalid"},
        {"token_expires_at": datetime.now(UTC) - timedelta(minutes=1)},
    ],
)
async def test_a_connection_that_needs_reconnecting_is_not_used(db, team_a, unhealthy) -> None:
    for name, value in unhealthy.items():
        setattr(team_a.facebook, name, value)
    db.add(team_a.facebook)
    db.commit()
    fake = FakeFacebook()
    result = await check_readiness(team_a.owner.id, team_a.workspace_id, "instagram", provider_factory=fake)
    assert result.status is ReadinessStatus.STALE and fake.asked == []


@pytest.mark.parametrize(
    ("kind", "problem"),
    [
        (ErrorKind.NEEDS_RECONNECT, "connect.ready.failed_expired"),
        (ErrorKind.MISSING_PERMISSION, "connect.ready.failed_permission"),
        (ErrorKind.TEMPORARY, "connect.ready.failed_temporary"),
        (ErrorKind.REJECTED_CONTENT, "connect.ready.failed_temporary"),
    ],
)
async def test_a_failure_is_a_note_and_changes_no_account(db, team_a, kind, problem) -> None:
    fake = FakeFacebook(fail=ProviderError(kind, "token_invalid", "facebook"))
    result = await check_readiness(team_a.owner.id, team_a.workspace_id, "facebook", provider_factory=fake)
    assert (result.status, result.items, result.problem) == (ReadinessStatus.FAILED, (), problem)
    db.refresh(team_a.facebook)
    assert (team_a.facebook.status, team_a.facebook.last_error) == ("active", None)  # read-only


async def test_one_login_failing_beside_another_keeps_the_items_and_adds_the_note(db, team_a) -> None:
    _connect_page(db, team_a, "1111", "Acme Bakery", "user-token-good")

    class HalfBroken(FakeFacebook):
        async def list_pages(self, access_token: str) -> list[PageInfo]:
            self.asked.append(access_token)
            if access_token != "user-token-good":
                raise ProviderError(ErrorKind.NEEDS_RECONNECT, "token_invalid", "facebook")
            return [_page("1111", "Acme Bakery")]

    fake = HalfBroken()
    result = await check_readiness(team_a.owner.id, team_a.workspace_id, "facebook", provider_factory=fake)
    assert result.status is ReadinessStatus.CHECKED and result.problem == "connect.ready.failed_expired"
    assert [i.page for i in result.items] == ["Acme Bakery"]
    assert sorted(fake.asked) == ["token-facebook-page-a", "user-token-good"]


async def test_many_pages_show_the_first_few_problems_first_and_count_the_rest(db, team_a) -> None:
    pages = [_page(f"9{n:03d}", f"Page {n:02d}", instagram=None if n % 3 == 0 else f"ig{n}") for n in range(9)]
    for page in pages:
        _connect_page(db, team_a, page.external_id, page.name, "user-token-many")
    fake = FakeFacebook({"user-token-many": pages})
    result = await check_readiness(team_a.owner.id, team_a.workspace_id, "instagram", provider_factory=fake)
    assert len(result.items) == MAX_ITEMS and result.more == 10 - MAX_ITEMS  # nine Pages + the fixture's Page
    assert [i.mark for i in result.items[:4]] == [Mark.WARN] * 4  # 3 unlinked + the fixture's Page (gone)


async def test_only_the_two_sheets_can_be_checked(db, team_a) -> None:
    with pytest.raises(ValueError):
        await check_readiness(team_a.owner.id, team_a.workspace_id, "tiktok", provider_factory=FakeFacebook())
