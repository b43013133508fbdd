"""Which "Notify me" requests are due the in-app launch notice (``domain.launch_notices``): the
platform has launched, the notice has not been delivered, and the request is the viewer's own."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from socializioz.domain.launch_notices import Delivery, Request, delivery, due_platforms, launched
from socializioz.domain.platforms import PLATFORMS, Availability, Platform

ADA, BO = 1, 2
SEEN = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


@pytest.fixture
def telegram_launched(monkeypatch):
    """The release in which Telegram stops being coming soon (availability is set in code only)."""
    info = PLATFORMS[Platform.TELEGRAM]
    monkeypatch.setitem(PLATFORMS, Platform.TELEGRAM, replace(info, availability=Availability.AVAILABLE))


def test_the_platforms_coming_soon_today_have_not_launched():
    assert not launched("telegram") and not launched("whatsapp")
    assert all(launched(p.value) for p in (Platform.FACEBOOK, Platform.INSTAGRAM, Platform.TIKTOK, Platform.X))
    assert launched("linkedin")


@pytest.mark.parametrize("name", ["", "myspace", "TELEGRAM", "None"])
def test_a_platform_no_release_knows_has_not_launched(name):
    assert not launched(name)
    assert delivery(name, None) is Delivery.WAITING
    assert due_platforms([Request(ADA, name)], ADA) == []


def test_a_request_for_a_platform_still_coming_soon_is_not_due():
    requests = [Request(ADA, "telegram"), Request(ADA, "whatsapp")]
    assert due_platforms(requests, ADA) == []
    assert [delivery(r.platform, r.notified_at) for r in requests] == [Delivery.WAITING, Delivery.WAITING]


def test_once_the_platform_launches_the_request_is_due(telegram_launched):
    requests = [Request(ADA, "telegram"), Request(ADA, "whatsapp")]
    assert due_platforms(requests, ADA) == ["telegram"]  # WhatsApp is still coming soon
    assert delivery("telegram", None) is Delivery.DUE
    assert delivery("whatsapp", None) is Delivery.WAITING


def test_a_delivered_notice_is_not_due_again(telegram_launched):
    assert due_platforms([Request(ADA, "telegram", SEEN)], ADA) == []
    assert delivery("telegram", SEEN) is Delivery.NOTIFIED


def test_only_the_viewers_own_requests_are_due(telegram_launched):
    requests = [Request(BO, "telegram"), Request(BO, "linkedin")]
    assert due_platforms(requests, ADA) == []
    assert due_platforms(requests, BO) == ["linkedin", "telegram"]


def test_due_notices_come_in_the_catalogues_order_once_each():
    requests = [Request(ADA, "x"), Request(ADA, "facebook"), Request(ADA, "x"), Request(ADA, "tiktok", SEEN)]
    assert due_platforms(requests, ADA) == ["facebook", "x"]
