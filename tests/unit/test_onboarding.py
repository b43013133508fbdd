"""The set-up wizard's server side: who starts it, how a step is remembered and resumed, what
step 1 saves (and refuses), and the workspace time zone rules it shares with the settings page."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from socializioz import db as database
from socializioz.domain import onboarding as steps
from socializioz.models import Membership, User, Workspace
from socializioz.services import onboarding, sign_in_forms
from socializioz.services import workspaces as ws
from socializioz.services.auth import sign_up
from socializioz.services.errors import NotFound, PermissionDenied, ValidationError


def _new_user(email: str = "new@example.com", **kwargs) -> tuple[int, int]:
    with database.session_scope() as db:
        user = sign_up(db, email, "Nadia", "long-enough-pw", **kwargs)
        return user.id, user.active_workspace_id


def _row(model, row_id: int):
    with Session(database.engine()) as db:
        return db.get(model, row_id)


def test_the_sign_up_form_starts_the_wizard_only_without_an_invitation(schema):
    form = {"email": "a@example.com", "name": "Ada", "password": "long-enough-pw"}
    ticket, error = sign_in_forms.sign_up_ticket(form, "192.0.2.1", start_onboarding=True)
    assert ticket and not error
    invited = {"email": "b@example.com", "name": "Bo", "password": "long-enough-pw"}
    sign_in_forms.sign_up_ticket(invited, "192.0.2.1", start_onboarding=False)
    with Session(database.engine()) as db:
        by_email = {u.email: u.onboarding_step for u in db.exec(select(User)).all()}
    assert by_email == {"a@example.com": steps.WORKSPACE, "b@example.com": steps.FINISHED}


def test_signing_up_again_with_the_right_password_does_not_restart_a_finished_wizard(schema):
    form = {"email": "a@example.com", "name": "Ada", "password": "long-enough-pw"}
    sign_in_forms.sign_up_ticket(form, "192.0.2.1", start_onboarding=True)
    with database.session_scope() as db:
        user = db.exec(select(User)).one()
        onboarding_id = user.id
    onboarding.finish(onboarding_id)
    ticket, _ = sign_in_forms.sign_up_ticket(form, "192.0.2.2", start_onboarding=True)  # counts as a sign-in
    assert ticket
    assert _row(User, onboarding_id).onboarding_step == steps.FINISHED


def test_the_wizard_resumes_at_the_remembered_step(schema):
    user_id, workspace_id = _new_user(start_onboarding=True)
    assert onboarding.open_wizard(user_id, workspace_id).step == steps.WORKSPACE
    onboarding.go_to(user_id, steps.CONNECT)
    view = onboarding.open_wizard(user_id, workspace_id)
    assert (view.step, view.workspace_name, view.timezone, view.can_edit_workspace) == (
        steps.CONNECT,
        "Nadia",
        "UTC",
        True,
    )


def test_a_step_in_the_url_wins_and_nonsense_means_step_one(schema):
    user_id, workspace_id = _new_user(start_onboarding=True)
    assert onboarding.open_wizard(user_id, workspace_id, "3").step == steps.DONE
    assert _row(User, user_id).onboarding_step == steps.DONE
    assert onboarding.open_wizard(user_id, workspace_id, "99").step == steps.WORKSPACE
    assert onboarding.open_wizard(user_id, workspace_id, "<script>").step == steps.WORKSPACE


def test_reopening_a_finished_wizard_starts_at_step_one(schema):
    user_id, workspace_id = _new_user(start_onboarding=True)
    onboarding.go_to(user_id, steps.DONE)
    onboarding.finish(user_id)
    assert _row(User, user_id).onboarding_step == steps.FINISHED
    assert onboarding.open_wizard(user_id, workspace_id).step == steps.WORKSPACE


def test_step_one_saves_name_time_zone_and_language_then_moves_on(schema):
    user_id, workspace_id = _new_user(start_onboarding=True)
    kept = onboarding.save_workspace_step(
        user_id, workspace_id, {"name": "  Acme Studio ", "timezone": "Asia/Riyadh", "language": "ar"}
    )
    assert kept == "ar"
    workspace, user = _row(Workspace, workspace_id), _row(User, user_id)
    assert (workspace.name, workspace.timezone) == ("Acme Studio", "Asia/Riyadh")
    assert (user.language, user.onboarding_step) == ("ar", steps.CONNECT)


@pytest.mark.parametrize(
    ("form", "code"),
    [
        ({"name": "Acme", "timezone": "Mars/Olympus", "language": "en"}, "workspace.timezone_invalid"),
        ({"name": "Acme", "timezone": "", "language": "en"}, "workspace.timezone_invalid"),
        ({"name": "Acme", "timezone": ["UTC"], "language": "en"}, "workspace.timezone_invalid"),
        ({"name": "   ", "timezone": "UTC", "language": "en"}, "workspace.name_required"),
        ({"name": "x" * 201, "timezone": "UTC", "language": "en"}, "workspace.name_too_long"),
        ({"name": "Acme", "timezone": "UTC", "language": "fr"}, "onboarding.language_invalid"),
        ("not a form", "onboarding.language_invalid"),
    ],
)
def test_step_one_refuses_bad_input_and_changes_nothing(schema, form, code):
    user_id, workspace_id = _new_user(start_onboarding=True)
    with pytest.raises(ValidationError) as refused:
        onboarding.save_workspace_step(user_id, workspace_id, form)
    assert refused.value.code == code
    workspace, user = _row(Workspace, workspace_id), _row(User, user_id)
    assert (workspace.name, workspace.timezone, user.language, user.onboarding_step) == (
        "Nadia",
        "UTC",
        "en",
        steps.WORKSPACE,
    )


def test_a_member_keeps_the_workspace_as_it_is_but_picks_a_language(schema):
    _owner_id, workspace_id = _new_user("owner@example.com")
    member_id, _ = _new_user("member@example.com", start_onboarding=True)
    with database.session_scope() as db:
        db.add(Membership(workspace_id=workspace_id, user_id=member_id, role="member"))
    assert onboarding.open_wizard(member_id, workspace_id).can_edit_workspace is False
    onboarding.save_workspace_step(member_id, workspace_id, {"name": "Hijacked", "timezone": "UTC", "language": "ar"})
    assert _row(Workspace, workspace_id).name == "Nadia"
    assert _row(User, member_id).language == "ar"


def test_the_wizard_refuses_a_foreign_workspace(schema):
    _owner_id, workspace_id = _new_user("owner@example.com")
    outsider_id, _ = _new_user("outsider@example.com", start_onboarding=True)
    with pytest.raises(NotFound):
        onboarding.open_wizard(outsider_id, workspace_id)
    with pytest.raises(NotFound):
        onboarding.save_workspace_step(outsider_id, workspace_id, {"name": "X", "timezone": "UTC", "language": "en"})
    assert _row(Workspace, workspace_id).name == "Nadia"


def test_workspace_settings_are_for_owners_and_admins(db):
    owner = sign_up(db, "owner@example.com", "Olive", "long-enough-pw")
    member = sign_up(db, "member@example.com", "Max", "long-enough-pw")
    workspace_id = owner.active_workspace_id
    db.add(Membership(workspace_id=workspace_id, user_id=member.id, role="member"))
    db.flush()
    assert ws.workspace_settings(db, member, workspace_id) == ("Olive", "UTC")
    with pytest.raises(PermissionDenied):
        ws.update_settings(db, member, workspace_id, "Mine", "Europe/Paris")
    ws.update_settings(db, owner, workspace_id, "Olive & Co", "Europe/Paris")
    assert ws.workspace_settings(db, member, workspace_id) == ("Olive & Co", "Europe/Paris")


def test_a_bad_time_zone_in_settings_keeps_the_old_name_too(db):
    owner = sign_up(db, "owner@example.com", "Olive", "long-enough-pw")
    with pytest.raises(ValidationError):
        ws.update_settings(db, owner, owner.active_workspace_id, "Renamed", "Europe/Atlantis")
    assert ws.workspace_settings(db, owner, owner.active_workspace_id) == ("Olive", "UTC")


def test_a_zone_picked_before_the_browser_answers_is_kept():
    """The browser's zone is asked for on load; a person quicker than the answer keeps their pick."""
    import socializioz.pages  # noqa: F401  (the app's import order: pages before states)
    from socializioz.state.onboarding import OnboardingState

    wizard = OnboardingState(_reflex_internal_init=True, parent_state=None)
    wizard.timezone = "UTC"
    OnboardingState.set_timezone.fn(wizard, "Asia/Riyadh")
    OnboardingState.suggest_timezone.fn(wizard, "Europe/Berlin")
    assert wizard.timezone == "Asia/Riyadh"

    untouched = OnboardingState(_reflex_internal_init=True, parent_state=None)
    untouched.timezone = "UTC"
    OnboardingState.suggest_timezone.fn(untouched, "Europe/Berlin")
    assert untouched.timezone == "Europe/Berlin"
