"""/sandbox is served only while some platform runs on it (no credentials configured)."""

from __future__ import annotations

from socializioz.domain.platforms import CONNECTABLE_PLATFORMS
from socializioz.settings import Settings
from socializioz.web.sandbox_routes import sandbox_routes


def _settings(*configured: str) -> Settings:
    return Settings(**{p: {"client_id": f"{p}-id", "client_secret": f"{p}-secret"} for p in configured})


def test_not_mounted_when_every_platform_has_credentials():
    assert sandbox_routes(_settings(*(p.value for p in CONNECTABLE_PLATFORMS))) == []


def test_mounted_when_one_platform_lacks_credentials():
    names = [p.value for p in CONNECTABLE_PLATFORMS]
    for missing in names:
        routes = sandbox_routes(_settings(*(n for n in names if n != missing)))
        assert [r.path for r in routes] == ["/sandbox"], missing
    assert [r.path for r in sandbox_routes(_settings())] == ["/sandbox"]
