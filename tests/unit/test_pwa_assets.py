"""The PWA's static files: generated from the catalogue and up to date, and the service worker
keeps its hands off per-user and live traffic."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from socializioz.i18n import ar, en

ROOT = Path(__file__).resolve().parents[2]
ASSETS = ROOT / "assets"


def test_offline_page_and_manifest_are_up_to_date_with_the_catalogue() -> None:
    result = subprocess.run(
        [sys.executable, "scripts/pwa_assets.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_offline_page_carries_both_languages() -> None:
    page = (ASSETS / "offline.html").read_text(encoding="utf-8")
    for messages in (en.MESSAGES, ar.MESSAGES):
        assert messages["pwa.offline.retry"] in page
    assert 'dir="rtl"' in page and "<script src" not in page and "http" not in page  # self-contained


def test_manifest_is_installable() -> None:
    manifest = json.loads((ASSETS / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["display"] == "standalone" and manifest["start_url"].startswith("/")
    for icon in manifest["icons"]:
        assert (ASSETS / icon["src"].lstrip("/")).is_file(), icon["src"]


def test_service_worker_never_touches_live_or_per_user_traffic() -> None:
    worker = (ASSETS / "sw.js").read_text(encoding="utf-8")
    for prefix in ("_event", "_upload", "auth", "oauth", "sandbox", "ping"):
        assert f"/^\\/{prefix}" in worker, prefix
    assert "request.method !== 'GET'" in worker
    precached = worker.split("const PRECACHE = [", 1)[1].split("]", 1)[0]
    assert ".html'" not in precached.replace("OFFLINE_URL", "") and "OFFLINE_URL" in precached
