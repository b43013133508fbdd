"""Pen-test findings 7, 10 and 12, each performed as the attack: a crafted reconnect of a
disconnected account on a full Free plan, attacker text in the callback's redirect, and
world-readable SQLite files."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlmodel import select

from socializioz import db as database
from socializioz.domain.plans import Plan
from socializioz.models import SocialAccount, User
from socializioz.services import auth, connect
from socializioz.services.disconnect import disconnect_account
from socializioz.services.errors import ValidationError
from tests.integration.conftest import csrf_of
from tests.integration.test_callback_security import _signed_in_owner, live_app  # noqa: F401  (fixture)


def _start(user_id, workspace_id, platform, **kw):
    with database.session_scope() as db:
        return connect.start_flow(db, user_id=user_id, workspace_id=workspace_id, platform=platform, **kw).authorize_url


def _callback(url: str, persona: str, cookie: str) -> dict[str, list[str]]:
    scopes = parse_qs(urlsplit(url).query)["scope"][0].replace(",", " ").split()  # grant all (Meta's form asks)
    csrf = csrf_of(httpx.get(url).text)  # the consent form's single-use token, as a browser posts it back
    consent = httpx.post(url, data={"action": "approve", "persona": persona, "scope": scopes, "csrf": csrf})
    assert consent.status_code == 303, consent.text[:300]
    response = httpx.get(consent.headers["location"], cookies={auth.SESSION_COOKIE: cookie})
    assert response.status_code == 303
    return parse_qs(urlsplit(response.headers["location"]).query)


def _ok(query: dict) -> bool:
    assert "error" not in query, query
    return "flow" in query


def _active(workspace_id: int) -> list[SocialAccount]:
    with database.session_scope() as db:
        return list(
            db.exec(
                select(SocialAccount).where(
                    SocialAccount.workspace_id == workspace_id, SocialAccount.disconnected_at.is_(None)
                )
            )
        )


def _connect_then_disconnect(live, persona: str):
    user_id, workspace_id, cookie = _signed_in_owner(Plan.FREE)
    assert _ok(_callback(_start(user_id, workspace_id, "instagram"), persona, cookie))
    (account,) = _active(workspace_id)
    with database.session_scope() as db:
        disconnect_account(db, db.get(User, user_id), workspace_id, account.id)
    return user_id, workspace_id, cookie, account.id


def test_finding7_reconnecting_a_disconnected_account_on_a_full_plan_is_refused(live_app):
    user_id, workspace_id, cookie, old_id = _connect_then_disconnect(live_app, "ig-studio")
    assert _ok(_callback(_start(user_id, workspace_id, "instagram"), "ig-maya", cookie))  # the one Free slot
    with pytest.raises(ValidationError) as refused:
        _start(user_id, workspace_id, "instagram", intent="reconnect", reconnect_account_id=old_id)
    assert refused.value.args[0] == "connect.gate.full"
    assert len(_active(workspace_id)) == 1


def test_finding7_a_slot_taken_while_the_reconnect_was_open_is_rechecked_on_save(live_app):
    user_id, workspace_id, cookie, old_id = _connect_then_disconnect(live_app, "ig-studio")
    reconnect = _start(user_id, workspace_id, "instagram", intent="reconnect", reconnect_account_id=old_id)
    assert _ok(_callback(_start(user_id, workspace_id, "instagram"), "ig-maya", cookie))
    query = _callback(reconnect, "ig-studio", cookie)
    result = connect.flow_outcome(user_id, int(query["flow"][0]))
    assert result is not None
    assert result.skipped == [{"name": "Acme Studio", "platform": "instagram", "reason": "plan_limit"}]
    assert [a.external_id for a in _active(workspace_id)] == ["17841400000000102"]


def test_finding10_the_error_redirect_carries_codes_only_and_the_names_stay_on_the_flow(live_app):
    user_id, workspace_id, cookie = _signed_in_owner(Plan.PROFESSIONAL)
    assert _ok(_callback(_start(user_id, workspace_id, "x"), "x-acme", cookie))
    (account,) = _active(workspace_id)
    query = _callback(
        _start(user_id, workspace_id, "x", intent="reconnect", reconnect_account_id=account.id), "x-jane", cookie
    )
    assert set(query) == {"error", "platform", "flow"}, query
    assert query["error"] == ["reconnect_wrong_account"] and query["platform"] == ["x"]
    stored = connect.flow_outcome(user_id, int(query["flow"][0]))
    assert stored is not None
    assert stored.params == {"expected": "Acme Bakery", "actual": "Jane Doe"}
    assert connect.flow_outcome(user_id + 1000, int(query["flow"][0])) is None  # nobody else reads it


def test_finding10_attacker_text_in_the_callback_url_never_reaches_the_redirect(live_app):
    _user_id, _ws, cookie = _signed_in_owner()
    lure = "Support: call +1 555 0100 now"
    for path in (
        f"/oauth/callback/x?state=nope&error=access_denied&expected={lure}&actual={lure}",
        f"/oauth/callback/{lure}?state=nope&code=x",
    ):
        response = httpx.get(live_app + path, cookies={auth.SESSION_COOKIE: cookie})
        location = response.headers["location"]
        assert "555" not in location and "Support" not in location, location
        assert set(parse_qs(urlsplit(location).query)) <= {"error", "platform", "flow", "intent"}


def test_finding12_sqlite_files_and_folder_are_private(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    monkeypatch.setenv("SOCIALIZIOZ_DATA_DIR", str(folder))
    from socializioz.settings import get_settings

    get_settings.cache_clear()
    try:
        engine = database.create_engine_for(f"sqlite:///{folder / 'socializioz.db'}")
        with engine.begin() as conn:
            conn.exec_driver_sql("create table t (x)")
            conn.exec_driver_sql("insert into t values (1)")
        mode = lambda p: stat.S_IMODE(os.stat(p).st_mode)
        assert mode(folder) == 0o700
        for side in ("socializioz.db", "socializioz.db-wal", "socializioz.db-shm"):
            if (folder / side).exists():
                assert mode(folder / side) == 0o600, side
        engine.dispose()
        # An install made before the fix is tightened at startup.
        os.chmod(folder, 0o755)
        os.chmod(folder / "socializioz.db", 0o644)
        database.create_engine_for(f"sqlite:///{folder / 'socializioz.db'}").dispose()
        assert (mode(folder), mode(folder / "socializioz.db")) == (0o700, 0o600)
    finally:
        get_settings.cache_clear()


def test_finding12_run_script_binds_to_loopback_by_default():
    script = database.__file__.rsplit("/socializioz/", 1)[0] + "/scripts/run.sh"
    text = Path(script).read_text()
    assert '--backend-host "${SOCIALIZIOZ_BIND_HOST:-127.0.0.1}"' in text
