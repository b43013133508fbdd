"""The posts page end to end, at 1280 and 390 px: posts prepared in every status show their chips
and reasons; Retry turns a failed target scheduled; a change made in another tab reaches an open
page without reload; the calendar puts a post on its day in the workspace's time zone (a grid on
desktop, a list with day headers on the phone); Arabic; campaigns; and a raw socket of another
workspace cannot retry a foreign target."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect
from sqlmodel import select

from tests.e2e.conftest import AppServer, screenshot, sign_in
from tests.e2e.ws_client import RawSocket, handler_name

ZONE = "America/New_York"


@dataclass
class Prepared:
    workspace_id: int
    targets: dict[str, int]  # status -> target id
    posts: dict[str, int]
    evening_day: str  # the local day of the post written for 22:00 New York time
    evening_post: int


def _prepare(email: str) -> Prepared:
    """Accounts on four platforms and one post per target status, as the composer and the
    publisher leave them; the workspace keeps New York time."""
    from socializioz.db import session_scope
    from socializioz.models import Campaign, Post, PostTarget, SocialAccount, User, Workspace

    now = datetime.now(UTC)
    with session_scope() as db:
        user = db.exec(select(User).where(User.email == email)).one()
        workspace_id = user.active_workspace_id
        db.get(Workspace, workspace_id).timezone = ZONE
        accounts = {}
        for platform, name in (
            ("facebook", "Acme Page"),
            ("instagram", "acme.studio"),
            ("x", "acme_x"),
            ("tiktok", "acme_tok"),
        ):
            account = SocialAccount(
                workspace_id=workspace_id,
                platform=platform,
                external_id=f"{platform}-{email}",
                name=name,
                username=name,
            )
            db.add(account)
            accounts[platform] = account
        campaign = Campaign(workspace_id=workspace_id, name="Spring launch")
        db.add(campaign)
        db.flush()
        specs = [
            ("scheduled", "facebook", "Fresh croissants every morning at seven", now + timedelta(hours=5), {}),
            (  # a worker holds it: the app's own publisher leaves a live lease alone
                "publishing",
                "x",
                "Our new opening hours are live",
                now + timedelta(minutes=1),
                {"lease_holder": "another-worker", "lease_until": now + timedelta(hours=1), "attempt_started_at": now},
            ),
            (
                "published",
                "facebook",
                "Thank you for 1,000 followers",
                now - timedelta(hours=2),
                {"permalink": "https://www.facebook.com/1111/posts/2222", "external_id": "1111_2222"},
            ),
            (
                "failed",
                "instagram",
                "Behind the scenes at the bakery",
                now - timedelta(hours=1),
                {"failure_code": "content_rejected", "failure_detail": "The aspect ratio is not supported."},
            ),
            ("needs_review", "tiktok", "Watch how we fold the dough", now - timedelta(hours=3), {}),
            ("blocked", "x", "Weekend special: two for one", now + timedelta(hours=8), {}),
        ]
        posts, targets = {}, {}
        for status, platform, text, when, extra in specs:
            post = Post(
                workspace_id=workspace_id,
                author_id=user.id,
                text=text,
                status="scheduled",
                scheduled_at=when,
                campaign_id=campaign.id if status in ("scheduled", "published") else None,
            )
            db.add(post)
            db.flush()
            target = PostTarget(post_id=post.id, account_id=accounts[platform].id, status=status, **extra)
            db.add(target)
            db.flush()
            posts[status], targets[status] = post.id, target.id
        local = datetime.now(ZoneInfo(ZONE)).replace(hour=22, minute=0, second=0, microsecond=0)
        evening = Post(
            workspace_id=workspace_id,
            author_id=user.id,
            text="Late-night bake sale",
            status="scheduled",
            scheduled_at=local.astimezone(UTC),  # already the next day in UTC
        )
        db.add(evening)
        db.flush()
        db.add(PostTarget(post_id=evening.id, account_id=accounts["facebook"].id, status="scheduled"))
        return Prepared(workspace_id, targets, posts, local.date().isoformat(), evening.id)


def _target_status(target_id: int) -> str:
    from socializioz.db import session_scope
    from socializioz.models import PostTarget

    with session_scope() as db:
        return db.get(PostTarget, target_id).status


def _open_posts(page: Page, make_user) -> tuple[Prepared, object]:
    user = make_user(plan="professional")
    prepared = _prepare(user.email)
    sign_in(page, user)
    page.goto("/posts")
    expect(page.locator("#posts-queue")).to_be_visible()
    return prepared, user


def _switch_view(page: Page, label: str) -> None:
    page.locator("#view-switch").get_by_role("radio", name=label).click()


def _row(page: Page, target_id: int):
    return page.locator(f"[data-target='{target_id}']")


def test_every_status_shows_its_chip_reason_and_action(page: Page, viewport: str, make_user) -> None:
    prepared, _ = _open_posts(page, make_user)
    t = prepared.targets
    expect(_row(page, t["scheduled"]).locator("[data-chip='scheduled']")).to_be_visible()
    expect(_row(page, t["publishing"]).locator("[data-chip='publishing'] .rt-Spinner")).to_be_visible()
    blocked = _row(page, t["blocked"])
    expect(blocked.locator("[data-reconnect-target]")).to_have_text("Reconnect to publish")
    expect(page.locator(f"[data-post='{prepared.posts['scheduled']}'] [data-campaign-chip]")).to_contain_text(
        "Spring launch"
    )
    expect(page.locator(f"[data-post='{prepared.posts['scheduled']}']")).to_contain_text(
        "Fresh croissants every morning"
    )
    screenshot(page, "posts-upcoming", viewport)

    page.click("[data-tab='published']")
    live = _row(page, t["published"]).locator("[data-live-link]")
    expect(live).to_have_attribute("href", "https://www.facebook.com/1111/posts/2222")
    expect(live).to_have_attribute("target", "_blank")
    screenshot(page, "posts-published", viewport)

    page.click("[data-tab='failed']")
    failed = _row(page, t["failed"])
    expect(failed.locator("[data-reason]")).to_have_text("The platform rejected the post's content.")
    expect(failed).to_contain_text("Edit the post and try again.")
    expect(failed.locator("[data-detail]")).to_have_text("The aspect ratio is not supported.")
    review = _row(page, t["needs_review"])
    expect(review).to_contain_text("can't tell whether this post went out")
    expect(review.locator("[data-profile-link]")).to_have_attribute("href", "https://www.tiktok.com/@acme_tok")
    screenshot(page, "posts-failed", viewport)

    failed.locator("[data-retry]").click()
    expect(page.get_by_text("Queued again")).to_be_visible()
    expect(_row(page, t["failed"])).to_have_count(0)  # it left the Failed tab
    # Queued again; the app's publisher may already have taken it (these accounts have no tokens,
    # so it ends blocked), but it is back among the upcoming posts either way.
    assert _target_status(t["failed"]) in ("scheduled", "publishing", "blocked")
    page.click("[data-tab='upcoming']")
    expect(_row(page, t["failed"])).to_be_visible()


def test_a_change_in_another_tab_reaches_the_open_page_live(page: Page, viewport: str, make_user) -> None:
    prepared, _ = _open_posts(page, make_user)
    review_id = prepared.targets["needs_review"]
    expect(_row(page, review_id)).to_have_count(0)  # needs review: not in Upcoming yet
    other = page.context.new_page()
    other.goto("/posts?tab=failed")
    _row(other, review_id).locator("[data-retry]").click()
    expect(_row(other, review_id)).to_have_count(0)
    # the first tab was not reloaded: the retried post arrives by the server's push (scheduled, or
    # already taken by the app's publisher, which blocks it: these accounts have no tokens)
    expect(_row(page, review_id)).to_be_visible(timeout=15_000)
    other.close()
    screenshot(page, "posts-live-update", viewport)


def test_calendar_shows_a_post_on_its_day_in_the_workspace_zone(page: Page, viewport: str, make_user) -> None:
    prepared, _ = _open_posts(page, make_user)
    _switch_view(page, "Month")
    expect(page.locator("#calendar-title")).to_be_visible()
    if viewport == "desktop":
        cell = page.locator(f"#calendar-grid [data-calendar-day='{prepared.evening_day}']")
        expect(cell.locator("[data-calendar-post]").first).to_be_visible()
        expect(page.locator("#calendar-list")).to_be_hidden()
        screenshot(page, "posts-month", viewport)
        if cell.locator("[data-more]").count():  # more than three posts that day: its week lists them all
            cell.locator("[data-more]").click()
            expect(page.locator("#view-switch [role=radio][aria-checked=true]")).to_contain_text("Week")
            cell = page.locator(f"#calendar-grid [data-calendar-day='{prepared.evening_day}']")
        expect(cell.locator(f"[data-calendar-post='{prepared.evening_post}']")).to_contain_text("22:00")
    else:
        expect(page.locator("#calendar-grid")).to_be_hidden()
        header = page.locator(f"#calendar-list [data-day-header='{prepared.evening_day}']")
        expect(header).to_be_visible()
        expect(page.locator(f"#calendar-list [data-post='{prepared.evening_post}']")).to_have_attribute(
            "data-day", prepared.evening_day
        )
        assert page.locator("#calendar-list [data-day-header]").count() >= 1
        screenshot(page, "posts-month", viewport)
    _switch_view(page, "Week")
    where = "#calendar-grid [data-calendar-post" if viewport == "desktop" else "#calendar-list [data-post"
    expect(page.locator(f"{where}='{prepared.evening_post}']")).to_be_visible()
    screenshot(page, "posts-week", viewport)


def test_arabic_posts_page(page: Page, viewport: str, make_user) -> None:
    prepared, _ = _open_posts(page, make_user)
    page.click("#language-switch")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", name="المنشورات")).to_be_visible()
    expect(_row(page, prepared.targets["blocked"]).locator("[data-reconnect-target]")).to_have_text("أعد الربط للنشر")
    screenshot(page, "posts-upcoming-arabic", viewport)
    page.click("[data-tab='failed']")
    expect(_row(page, prepared.targets["failed"]).locator("[data-chip='failed']")).to_contain_text("فشل")
    screenshot(page, "posts-failed-arabic", viewport)
    _switch_view(page, "شهر")
    expect(page.locator("#calendar-title")).to_be_visible()
    screenshot(page, "posts-month-arabic", viewport)
    page.click("#language-switch")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")


def test_empty_and_filtered_states(page: Page, viewport: str, make_user) -> None:
    user = make_user(plan="professional")
    sign_in(page, user)
    page.goto("/posts")
    expect(page.locator("#posts-empty")).to_contain_text("Nothing is scheduled")
    screenshot(page, "posts-empty", viewport)
    _prepare(user.email)
    page.goto("/posts?platform=linkedin")
    expect(page.locator("#posts-empty")).to_contain_text("No posts match these filters")
    page.click("#filter-clear")
    expect(page.locator("#posts-queue")).to_be_visible()


def test_campaigns_list_and_detail(page: Page, viewport: str, make_user) -> None:
    prepared, _ = _open_posts(page, make_user)
    page.locator(f"[data-post='{prepared.posts['scheduled']}'] [data-campaign-chip]").click()
    expect(page.locator("#campaign-title")).to_have_text("Spring launch", timeout=15_000)  # a navigation and a read
    detail = page.locator("#campaign-detail")
    expect(detail.locator("[data-post]")).to_have_count(2)
    expect(detail.locator("[data-campaign-account]")).to_have_count(1)  # both posts go to the Facebook Page
    screenshot(page, "campaign-detail", viewport)
    page.click("#campaign-back")
    expect(page.locator("[data-campaign='Spring launch']")).to_contain_text("2 posts")
    page.fill("#campaign-name", "spring launch")
    page.click("#campaign-create")
    expect(page.locator("#campaign-error")).to_have_text("A campaign with this name already exists.")
    page.fill("#campaign-name", "Summer")
    page.click("#campaign-create")
    expect(page.locator("[data-campaign='Summer']")).to_contain_text("0 posts")
    screenshot(page, "campaigns", viewport)


def test_another_workspace_cannot_retry_a_foreign_target_over_the_socket(app_server: AppServer, make_user) -> None:
    import socializioz.pages  # noqa: F401  (the app's state classes, in the app's order)
    from socializioz.db import session_scope
    from socializioz.models import User
    from socializioz.services import auth
    from socializioz.state.posts import PostsState
    from tests.e2e.test_security_live_state import session_cookie

    victim = make_user(plan="professional")
    prepared = _prepare(victim.email)
    attacker = make_user(plan="professional")
    with session_scope() as db:
        ticket = auth.issue_sign_in_ticket(db, db.exec(select(User).where(User.email == attacker.email)).one())
    cookie = session_cookie(app_server, ticket)
    with RawSocket(app_server.base_url, cookie=cookie) as sock:
        sock.hydrate("/posts")
        assert sock.wait_hydrated()
        for target in (prepared.targets["failed"], prepared.targets["needs_review"]):
            sock.emit(handler_name(PostsState, "retry"), {"target_id": target}, path="/posts")
            sock.emit(handler_name(PostsState, "remove_target"), {"target_id": target}, path="/posts")
        sock.emit(handler_name(PostsState, "ask_delete"), {"post_id": prepared.posts["failed"]}, path="/posts")
        sock.emit(handler_name(PostsState, "confirm_delete_post"), path="/posts")
        sock.collect(3)
        assert "Behind the scenes at the bakery" not in sock.text()
    assert _target_status(prepared.targets["failed"]) == "failed"
    assert _target_status(prepared.targets["needs_review"]) == "needs_review"
