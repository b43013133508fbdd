"""Whether a platform tile can start a connection, and how the authorization window opens.

Spec: "Supported platforms", "Plan limits", "Telegram and WhatsApp", "How mobile OAuth works".
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .plans import Plan, is_full
from .platforms import PLATFORMS, Availability, Platform


class Gate(str, enum.Enum):
    OPEN = "open"
    COMING_SOON = "coming_soon"
    UPGRADE = "upgrade"
    FULL = "full"


@dataclass(frozen=True)
class TileGate:
    gate: Gate
    unlocking_plan: Plan | None = None  # the plan that unlocks an UPGRADE tile


def tile_gate(platform: Platform, plan: Plan, connected_accounts: int) -> TileGate:
    """Coming soon beats everything; then the plan's platform list; then the account limit."""
    info = PLATFORMS[platform]
    if info.availability is Availability.COMING_SOON:
        return TileGate(Gate.COMING_SOON)
    if not info.available_on(plan):
        return TileGate(Gate.UPGRADE, info.minimum_plan)
    if is_full(plan, connected_accounts):
        return TileGate(Gate.FULL)
    return TileGate(Gate.OPEN)


class Intent(enum.StrEnum):
    """Why a flow was started: it decides what the callback does and where the person returns."""

    CONNECT = "connect"
    RECONNECT = "reconnect"  # the same account, refreshed in place
    ONBOARDING = "onboarding"  # a connect from the set-up wizard, which returns there


class FlowStatus(enum.StrEnum):
    """How a flow ended (``services.oauth_flows.FlowOutcome.status``)."""

    SUCCESS = "success"
    ERROR = "error"
    CONFIRM_INSTAGRAM = "confirm_instagram"  # Facebook connected; linked Instagram accounts await a yes


class OpenMode(str, enum.Enum):
    SAME_TAB = "same_tab"
    NEW_TAB = "new_tab"


@dataclass(frozen=True)
class Device:
    """What we know of the browser: from the User-Agent, plus the page's display mode."""

    mobile: bool
    android_chrome: bool
    embedded: bool  # a WebView, or an installed PWA (display-mode: standalone)

    @classmethod
    def from_user_agent(cls, user_agent: str, standalone: bool = False, touch_points: int = 0) -> Device:
        """``touch_points`` is the page's ``navigator.maxTouchPoints``: iPadOS Safari sends a desktop
        Mac user agent, and a Mac has no touch screen, so a "Macintosh" with touch is an iPad."""
        ua = user_agent or ""
        ipad_as_mac = "Macintosh" in ua and touch_points > 1
        mobile = ipad_as_mac or any(marker in ua for marker in ("Mobile", "Android", "iPhone", "iPad"))
        android_webview = "Android" in ua and "; wv)" in ua
        ios_webview = any(d in ua for d in ("iPhone", "iPad")) and "Safari/" not in ua
        android_chrome = "Android" in ua and "Chrome/" in ua and not android_webview
        return cls(mobile=mobile, android_chrome=android_chrome, embedded=standalone or android_webview or ios_webview)


def open_mode(platform: Platform, device: Device) -> OpenMode:
    """Meta on mobile always same tab; WebView/PWA same tab; Android Chrome a new tab; Safari same tab.

    On desktop we open a new tab so the Connections page stays put and updates itself when the
    flow finishes (the result page then closes its own tab); a blocked popup falls back to the
    same tab in the browser.
    """
    if not device.mobile:
        return OpenMode.SAME_TAB if device.embedded else OpenMode.NEW_TAB
    if PLATFORMS[platform].is_meta or device.embedded:
        return OpenMode.SAME_TAB
    return OpenMode.NEW_TAB if device.android_chrome else OpenMode.SAME_TAB
