"""Each rule that once lived twice now lives in one place; these pin that place to the spec
(docs/spec-connections.txt) or to reference/publishing.md, and check no second copy came back."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from socializioz.domain import account_rules, errors, refresh_policy, roles
from socializioz.domain.errors import ErrorKind, ProviderError
from socializioz.domain.platforms import CONNECTABLE_PLATFORMS, INSTAGRAM, META_PLATFORMS, PLATFORMS, Platform
from socializioz.i18n import ar, en
from socializioz.integrations.config import ProviderSettings
from socializioz.integrations.factory import PROVIDERS
from socializioz.integrations.instagram import InstagramProvider
from socializioz.services import compose, workspaces

ROOT = Path(__file__).resolve().parents[2]
SPEC = (ROOT / "docs" / "spec-connections.txt").read_text()
PACKAGE = ROOT / "socializioz"
# reference/publishing.md §0, row "Text-only": Facebook yes, Instagram no, TikTok no, X yes, LinkedIn yes.
TEXT_ONLY = {
    Platform.FACEBOOK: True,
    Platform.INSTAGRAM: False,
    Platform.TIKTOK: False,
    Platform.X: True,
    Platform.LINKEDIN: True,
}
# reference/publishing.md §0, row "Caption limit".
MAX_TEXT = {
    Platform.FACEBOOK: 63_206,
    Platform.INSTAGRAM: 2_200,
    Platform.TIKTOK: 2_200,
    Platform.X: 280,
    Platform.LINKEDIN: 3_000,
}


def _sources(*, skip: tuple[str, ...] = ()) -> dict[str, str]:
    return {
        str(p.relative_to(ROOT)): p.read_text()
        for p in PACKAGE.rglob("*.py")
        if not any(part in str(p) for part in skip)
    }


def _provider(platform: Platform):
    return PROVIDERS[platform](client_id="c", client_secret="s", sandbox=True, settings=ProviderSettings())


@pytest.mark.parametrize("platform", CONNECTABLE_PLATFORMS, ids=lambda p: p.value)
def test_compose_refuses_exactly_what_the_client_rejects(platform):
    media = PLATFORMS[platform].media
    assert media.text_only is TEXT_ONLY[platform] and media.max_text == MAX_TEXT[platform]
    assert compose.needs_media(platform.value) is not media.text_only
    if media.text_only:
        _provider(platform).require_media(None)
    else:
        with pytest.raises(ProviderError) as err:
            _provider(platform).require_media(None)
        assert err.value.kind is ErrorKind.REJECTED_CONTENT
        key = f"compose.{platform.value}_needs_media"
        assert key in en.MESSAGES and key in ar.MESSAGES


def test_instagram_needs_media_is_the_spec_sentence():
    assert "Instagram posts require an image or video" in SPEC
    assert not PLATFORMS[Platform.INSTAGRAM].media.text_only


def test_personal_instagram_account_is_one_kind_in_one_place():
    assert "Personal accounts are not supported" in SPEC
    with pytest.raises(ProviderError) as err:
        _provider(Platform.INSTAGRAM).refuse_account_type("PERSONAL")
    assert (err.value.kind, err.value.code) == (ErrorKind.NEEDS_RECONNECT, "instagram_personal_account")
    _provider(Platform.INSTAGRAM).refuse_account_type("BUSINESS")
    offenders = [
        f
        for f, s in _sources().items()
        if '"PERSONAL"' in s and not f.endswith("domain/platforms.py") and "/sandbox/" not in f
    ]
    assert offenders == []


def test_instagram_24_hour_refresh_rule_lives_in_the_record():
    age = INSTAGRAM.refresh.min_token_age
    assert age == timedelta(hours=24)
    assert refresh_policy.RULES[Platform.INSTAGRAM].min_token_age == age
    assert ProviderSettings().instagram_min_refresh_age_seconds == age.total_seconds()
    assert "24 hours" in errors.lookup("refresh_too_early").cause
    assert [
        f
        for f, s in _sources().items()
        if "hours=24" in s
        and "domain/platforms.py" not in f
        and "refresh_policy.py" not in f
        and "messaging_window.py" not in f  # Meta's 24-hour messaging window is another rule
    ] == []


def test_instagram_scopes_are_written_once():
    scopes = INSTAGRAM.connection("instagram_login").consent_scopes
    assert InstagramProvider.scopes == scopes == account_rules.required_scopes("instagram_login")
    offenders = [
        f
        for f, s in _sources(skip=("/sandbox/",)).items()
        if "instagram_business_content_publish" in s and not f.endswith("domain/platforms.py")
    ]
    assert offenders == []


def test_meta_token_debug_scopes_are_the_spec_seven():
    sentence = re.search(r"The seven required scopes are: (.+?)\. If", SPEC).group(1)
    seven = tuple(re.findall(r"[a-z_]+(?=,|$)", sentence.replace(", and ", ", ")))
    assert account_rules.required_scopes("facebook_page") == seven
    assert INSTAGRAM.connection("facebook_page").debug_scopes == seven


def test_meta_platforms_are_named_once():
    assert {p.value for p in META_PLATFORMS} == {"facebook", "instagram"}
    pattern = re.compile(
        r"""\(\s*["']facebook["']\s*,\s*["']instagram["']\s*\)|\{\s*["']facebook["']\s*,\s*["']instagram["']\s*\}"""
    )
    assert [f for f, s in _sources().items() if pattern.search(s)] == []


def test_roles_live_in_the_domain():
    assert workspaces.Role is roles.Role
    assert [r.value for r in roles.Role] == ["owner", "admin", "member"]
    assert roles.manages("owner") and roles.manages(roles.Role.ADMIN) and not roles.manages("member")
    assert not roles.manages(None) and roles.owns("owner") and not roles.owns("admin")


_RAISED = re.compile(
    r'(?:ServiceError|ValidationError|NotFound|PermissionDenied|AuthError)\(\s*"([a-z_.]+)"'
    r'|require_role\([^)]*"([a-z_.]+)"\)|capped\([^)]*"([a-z_.]+)"\)'
)


def test_every_code_services_raise_has_english_and_arabic_text():
    raised = {
        next(g for g in m.groups() if g) for s in _sources(skip=("/sandbox/",)).values() for m in _RAISED.finditer(s)
    }
    raised |= {f"connect.gate.{g}" for g in ("coming_soon", "upgrade", "full")}
    raised |= {f"compose.{p.value}_needs_media" for p in CONNECTABLE_PLATFORMS if compose.needs_media(p.value)}
    assert {
        "account.not_found",
        "workspace.none",
        "workspace.invalid_plan",
        "workspace.member_not_found",
        "workspace.invalid_role",
        "compose.tiktok_needs_media",
    } <= raised
    missing = sorted(k for k in raised if k not in en.MESSAGES or k not in ar.MESSAGES)
    assert missing == []
