"""The OAuth outcome is a typed record stored as JSON on the flow row: it survives the round trip,
reads rows written before it existed (plain dicts), and the status enums keep their stored words."""

from __future__ import annotations

import json

from socializioz.domain.connect_rules import FlowStatus, Intent
from socializioz.domain.health import NEEDS_RECONNECT_STATUSES, AccountStatus, needs_reconnect
from socializioz.services.oauth_flows import INTENTS, AddedAccount, FlowOutcome, SkippedAccount


def test_an_outcome_survives_the_flow_row() -> None:
    outcome = FlowOutcome(
        FlowStatus.SUCCESS,
        "facebook",
        added=[AddedAccount(id=7, name="Acme", platform="facebook")],
        skipped=[SkippedAccount(name="Beta", platform="instagram", reason="plan_limit")],
        plan="starter",
        intent=Intent.ONBOARDING,
        return_path="/onboarding",
    )
    again = FlowOutcome.from_json(outcome.to_json())
    assert again == outcome
    assert again.status is FlowStatus.SUCCESS and again.intent is Intent.ONBOARDING and not again.failed


def test_a_row_written_as_a_dict_reads_as_an_outcome() -> None:
    stored = {"status": "error", "platform": "x", "code": "reconnect_wrong_account", "params": {"expected": "A"}}
    outcome = FlowOutcome.from_json(json.dumps({**stored, "flow_id": 3, "something_new": True}))
    assert outcome.failed and outcome.code == "reconnect_wrong_account" and outcome.params == {"expected": "A"}
    assert outcome.intent is None and outcome.added == []


def test_the_error_constructor_carries_its_params() -> None:
    outcome = FlowOutcome.error("tiktok", "scope_not_authorized", scope="video.publish")
    assert (outcome.status, outcome.code, outcome.params) == (
        FlowStatus.ERROR,
        "scope_not_authorized",
        {"scope": "video.publish"},
    )


def test_the_enums_keep_the_stored_words() -> None:
    assert [i.value for i in INTENTS] == ["connect", "reconnect", "onboarding"]
    assert {"expired", "invalid", "revoked", "disconnected", "error", "needs_reconnect"} == NEEDS_RECONNECT_STATUSES
    assert AccountStatus.ACTIVE not in NEEDS_RECONNECT_STATUSES
    assert all(isinstance(s, str) and type(s) is str for s in NEEDS_RECONNECT_STATUSES)  # they go into SQL
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    assert needs_reconnect(status=AccountStatus.REVOKED, token_expires_at=None, last_platform_error=None, now=now)
    assert not needs_reconnect(status=AccountStatus.ACTIVE, token_expires_at=None, last_platform_error=None, now=now)
