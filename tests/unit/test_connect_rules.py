"""Plan gates and the authorization window rules, straight from the spec's tables."""

import pytest

from socializioz.domain.connect_rules import Device, Gate, OpenMode, open_mode, tile_gate
from socializioz.domain.plans import Plan, slots_left
from socializioz.domain.platforms import PLATFORMS, Platform

IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
IPHONE_WEBVIEW = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148"
)
ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"
)
ANDROID_WEBVIEW = "Mozilla/5.0 (Linux; Android 14; Pixel 8; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/126.0 Mobile Safari/537.36"
DESKTOP = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"


@pytest.mark.parametrize(
    ("platform", "plan", "expected"),
    [
        (Platform.FACEBOOK, Plan.FREE, Gate.OPEN),
        (Platform.INSTAGRAM, Plan.FREE, Gate.OPEN),
        (Platform.TIKTOK, Plan.FREE, Gate.UPGRADE),
        (Platform.TIKTOK, Plan.STARTER, Gate.UPGRADE),
        (Platform.TIKTOK, Plan.PROFESSIONAL, Gate.OPEN),
        (Platform.X, Plan.STARTER, Gate.UPGRADE),
        (Platform.LINKEDIN, Plan.ENTERPRISE, Gate.OPEN),
        (Platform.TELEGRAM, Plan.ENTERPRISE, Gate.COMING_SOON),
        (Platform.WHATSAPP, Plan.FREE, Gate.COMING_SOON),
    ],
)
def test_plan_availability(platform, plan, expected):
    assert tile_gate(platform, plan, connected_accounts=0).gate is expected


def test_upgrade_names_the_unlocking_plan():
    assert tile_gate(Platform.TIKTOK, Plan.FREE, 0).unlocking_plan is Plan.PROFESSIONAL


@pytest.mark.parametrize(
    ("plan", "connected", "full"),
    [
        (Plan.FREE, 1, True),
        (Plan.FREE, 0, False),
        (Plan.STARTER, 5, True),
        (Plan.STARTER, 4, False),
        (Plan.PROFESSIONAL, 500, False),
    ],
)
def test_account_limit_closes_every_available_tile(plan, connected, full):
    gates = {
        tile_gate(p, plan, connected).gate
        for p in PLATFORMS
        if PLATFORMS[p].available_on(plan) and p not in (Platform.TELEGRAM, Platform.WHATSAPP)
    }
    assert gates == ({Gate.FULL} if full else {Gate.OPEN})


def test_slots_left():
    assert slots_left(Plan.STARTER, 4) == 1
    assert slots_left(Plan.ENTERPRISE, 99) is None


@pytest.mark.parametrize(
    ("ua", "standalone", "platform", "expected"),
    [
        (IPHONE, False, Platform.FACEBOOK, OpenMode.SAME_TAB),
        (IPHONE, False, Platform.TIKTOK, OpenMode.SAME_TAB),
        (ANDROID_CHROME, False, Platform.INSTAGRAM, OpenMode.SAME_TAB),
        (ANDROID_CHROME, False, Platform.X, OpenMode.NEW_TAB),
        (ANDROID_WEBVIEW, False, Platform.LINKEDIN, OpenMode.SAME_TAB),
        (IPHONE_WEBVIEW, False, Platform.TIKTOK, OpenMode.SAME_TAB),
        (ANDROID_CHROME, True, Platform.X, OpenMode.SAME_TAB),
        (DESKTOP, False, Platform.FACEBOOK, OpenMode.NEW_TAB),
        (DESKTOP, True, Platform.X, OpenMode.SAME_TAB),
    ],
)
def test_open_mode(ua, standalone, platform, expected):
    assert open_mode(platform, Device.from_user_agent(ua, standalone)) is expected


def test_an_ipad_with_a_desktop_safari_user_agent_is_mobile_so_meta_opens_in_the_same_tab():
    from socializioz.domain.connect_rules import Device, OpenMode, open_mode
    from socializioz.domain.platforms import Platform

    mac_safari = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Version/17.4 Safari/605.1.15"
    ipad = Device.from_user_agent(mac_safari, touch_points=5)
    mac = Device.from_user_agent(mac_safari, touch_points=0)
    assert ipad.mobile and not mac.mobile
    assert open_mode(Platform.FACEBOOK, ipad) is OpenMode.SAME_TAB
    assert open_mode(Platform.FACEBOOK, mac) is OpenMode.NEW_TAB
