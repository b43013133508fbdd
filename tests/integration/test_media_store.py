"""The media store end to end: bytes in through the composer's upload handler or the service, kept
privately on disk, served back at GET /media/{token} with the sniffed type and ranges; wrong types,
oversized and damaged files refused with nothing kept; another workspace's assets unreachable."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import pytest
import reflex as rx
from sqlmodel import select
from starlette.applications import Starlette
from starlette.testclient import TestClient

import socializioz.pages  # noqa: F401  (the app's import order: pages before states)
from socializioz import routes
from socializioz.integrations.models import PublishOptions
from socializioz.models import MediaAsset, Post
from socializioz.services import compose_options, media_store
from socializioz.services.compose_options import OptionsResult
from socializioz.services.errors import NotFound, ValidationError
from socializioz.services.media_urls import media_public_url
from socializioz.settings import get_settings
from socializioz.state.compose import ComposeState
from socializioz.state.session import SessionState
from socializioz.web.media_routes import media_routes
from tests.media_samples import image_bytes, video_bytes
from tests.unit.accounts_fixtures import add_account, outsider, team_a, team_b  # noqa: F401
from tests.unit.test_accounts_state import _run


@pytest.fixture
def client(schema) -> TestClient:
    return TestClient(Starlette(routes=media_routes()))


def _save(db, team, data: bytes, name: str = "upload.bin"):
    return media_store.save_upload(db, team.owner, team.workspace_id, name, io.BytesIO(data))


def _stored_files() -> list[str]:
    root = get_settings().data_dir / "media"
    return sorted(os.listdir(root)) if root.exists() else []


# -- the store ------------------------------------------------------------------------------------


def test_files_are_private_and_named_by_a_random_key(db, team_a):
    asset = _save(db, team_a, image_bytes(), "../../etc/My Holiday.jpg")
    root = get_settings().data_dir / "media"
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    path = root / asset.storage_key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert _stored_files() == [asset.storage_key] and "Holiday" not in asset.storage_key
    assert asset.filename == "My Holiday.jpg"  # kept for display only, never as a path
    assert len(asset.token) >= 43 and asset.token != asset.storage_key
    assert (asset.kind, asset.mime_type, asset.width, asset.height) == ("image", "image/jpeg", 1080, 1080)


def test_the_type_comes_from_the_bytes_not_the_name(db, team_a):
    png = _save(db, team_a, image_bytes("PNG", (640, 480)), "looks-like.jpg")
    assert (png.mime_type, png.width, png.height) == ("image/png", 640, 480)
    movie = _save(db, team_a, video_bytes(3.5, (640, 360), b"qt  ", moov_last=True), "clip.mp4")
    assert (movie.kind, movie.mime_type, movie.duration_seconds, movie.width) == ("video", "video/quicktime", 3.5, 640)
    mp4 = _save(db, team_a, video_bytes(12, (1080, 1920)), "clip.mov")
    assert (mp4.mime_type, mp4.duration_seconds, mp4.height) == ("video/mp4", 12.0, 1920)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "media.unsupported_type"),
        (b"%PDF-1.7 not an image", "media.unsupported_type"),
        (b"", "media.unsupported_type"),
        (b"\xff\xd8\xff" + b"\x00" * 64, "media.unreadable"),  # a JPEG signature and nothing readable
        (image_bytes("PNG")[:40], "media.unreadable"),  # truncated
        (b"\x00\x00\x00\x18ftypisom\x00\x00\x00\x00isom" + b"\x00\x00\x01\x00moov", "media.unreadable"),
        (video_bytes()[:60], "media.unreadable"),  # the moov box runs past the end of the file
    ],
)
def test_what_is_not_a_supported_file_is_refused_and_nothing_kept(db, team_a, data, code):
    with pytest.raises(ValidationError) as excinfo:
        _save(db, team_a, data, "evil.jpg")
    assert excinfo.value.code == code
    assert _stored_files() == [] and db.exec(select(MediaAsset)).all() == []


def test_size_caps_per_kind(db, team_a, monkeypatch):
    monkeypatch.setattr(media_store, "MAX_IMAGE_BYTES", 10_000)
    monkeypatch.setattr(media_store, "MAX_VIDEO_BYTES", 2_000)
    with pytest.raises(ValidationError) as excinfo:
        _save(db, team_a, image_bytes("PNG", (2000, 2000), "white") + b"\x00" * 20_000)
    assert excinfo.value.code == "media.image_too_large"
    with pytest.raises(ValidationError) as excinfo:
        _save(db, team_a, video_bytes(padding=5_000))
    assert (excinfo.value.code, excinfo.value.params) == ("media.video_too_large", {"limit": 0})
    assert _stored_files() == []
    assert _save(db, team_a, video_bytes(padding=100)).kind == "video"


def test_only_members_upload_and_assets_stay_in_their_workspace(db, team_a, team_b, outsider):
    with pytest.raises(NotFound):
        media_store.save_upload(db, outsider, team_a.workspace_id, "a.jpg", io.BytesIO(image_bytes()))
    with pytest.raises(NotFound):
        media_store.save_upload(db, team_a.owner, team_b.workspace_id, "a.jpg", io.BytesIO(image_bytes()))
    theirs = _save(db, team_b, image_bytes())
    mine = _save(db, team_a, image_bytes())
    assert media_store.workspace_assets(db, team_a.member, team_a.workspace_id, [mine.id]) == [mine]
    with pytest.raises(NotFound):
        media_store.workspace_assets(db, team_a.member, team_a.workspace_id, [mine.id, theirs.id])
    with pytest.raises(NotFound):
        media_store.delete_asset(db, team_a.owner, team_a.workspace_id, theirs.id)
    assert db.get(MediaAsset, theirs.id) is not None


def test_delete_forgets_an_unused_upload_but_never_a_posts_media(db, team_a):
    unused, used = _save(db, team_a, image_bytes()), _save(db, team_a, image_bytes())
    unused_key = unused.storage_key
    db.add(Post(workspace_id=team_a.workspace_id, author_id=team_a.owner.id, media_ids=f"[{used.id}]"))
    db.commit()
    assert media_store.delete_asset(db, team_a.owner, team_a.workspace_id, unused.id) is True
    assert media_store.delete_asset(db, team_a.owner, team_a.workspace_id, used.id) is False
    assert _stored_files() == [used.storage_key] and unused_key not in _stored_files()


# -- the route ------------------------------------------------------------------------------------


def test_media_is_served_with_its_sniffed_type(db, team_a, client):
    data = image_bytes("PNG", (32, 32))
    asset = _save(db, team_a, data, "fake.jpg")
    response = client.get(routes.MEDIA_PREFIX + asset.token)
    assert response.status_code == 200 and response.content == data
    assert response.headers["content-type"] == "image/png"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "content-disposition" not in response.headers  # no user filename leaks
    assert media_public_url(asset.token).endswith(routes.MEDIA_PREFIX + asset.token)


def test_video_ranges(db, team_a, client):
    data = video_bytes(padding=4_000)
    asset = _save(db, team_a, data, "clip.mp4")
    response = client.get(routes.MEDIA_PREFIX + asset.token, headers={"Range": "bytes=100-199"})
    assert response.status_code == 206 and response.content == data[100:200]
    assert response.headers["content-range"] == f"bytes 100-199/{len(data)}"
    assert response.headers["content-type"] == "video/mp4"
    assert client.head(routes.MEDIA_PREFIX + asset.token).headers["content-length"] == str(len(data))


@pytest.mark.parametrize("token", ["unknown-token", "x" * 65, "..%2F..%2Fsocializioz.db", "%00"])
def test_unknown_tokens_are_404(db, team_a, client, token):
    _save(db, team_a, image_bytes())
    assert client.get(routes.MEDIA_PREFIX + token).status_code == 404


def test_no_listing_and_no_path_to_the_folder(db, team_a, client):
    asset = _save(db, team_a, image_bytes())
    assert client.get(routes.MEDIA_PREFIX).status_code == 404
    assert client.get(routes.MEDIA_PREFIX + asset.storage_key).status_code == 404  # the disk name is not a URL


def test_a_file_missing_from_disk_is_404(db, team_a, client):
    asset = _save(db, team_a, image_bytes())
    os.remove(get_settings().data_dir / "media" / asset.storage_key)
    assert client.get(routes.MEDIA_PREFIX + asset.token).status_code == 404


# -- the composer's upload handler ----------------------------------------------------------------


async def _compose_state(monkeypatch, user, workspace_id):
    """The composer's state for ``user`` in ``workspace_id`` (as tests/unit/test_accounts_state does)."""
    monkeypatch.setattr(SessionState, "_current_user", lambda self, db: user)
    session = await rx.State(_reflex_internal_init=True).get_state(SessionState)
    session.workspace_id = workspace_id
    return await session.get_state(ComposeState)


def _file(data: bytes, name: str) -> rx.UploadFile:
    return rx.UploadFile(file=io.BytesIO(data), path=Path(name))


async def test_upload_handler_keeps_good_files_and_says_why_others_were_refused(db, team_a, monkeypatch):
    state = await _compose_state(monkeypatch, team_a.member, team_a.workspace_id)
    files = [_file(image_bytes(), "shop.jpg"), _file(b"GIF00 nope", "fake.gif"), _file(video_bytes(), "clip.mp4")]
    await _run(lambda: ComposeState.upload.fn(state, files))
    assert [m["kind"] for m in state.media] == ["image", "video"]
    assert state.media[0]["url"].startswith(routes.MEDIA_PREFIX)
    assert len(state.upload_errors) == 1 and "fake.gif" in state.upload_errors[0]
    assert "JPEG" in state.upload_errors[0]  # the reason, in words
    assert not state.uploading


async def test_upload_handler_refuses_a_signed_out_caller(db, team_a, monkeypatch):
    state = await _compose_state(monkeypatch, None, team_a.workspace_id)
    await _run(lambda: ComposeState.upload.fn(state, [_file(image_bytes(), "a.jpg")]))
    assert state.media == [] and db.exec(select(MediaAsset)).all() == []


async def test_browser_rejections_are_explained(db, team_a, monkeypatch):
    state = await _compose_state(monkeypatch, team_a.member, team_a.workspace_id)
    ComposeState.upload_rejected.fn(
        state,
        [
            {"file": {"path": "./big.mov"}, "errors": [{"code": "file-too-large", "message": "File is larger"}]},
            {"file": {"path": "./doc.pdf"}, "errors": [{"code": "file-invalid-type", "message": "type"}]},
        ],
    )
    assert "big.mov" in state.upload_errors[0] and "300 MB" in state.upload_errors[0]
    assert "doc.pdf" in state.upload_errors[1] and "MP4" in state.upload_errors[1]


async def test_remove_forgets_the_file_and_another_workspaces_id_changes_nothing(db, team_a, team_b, monkeypatch):
    theirs = _save(db, team_b, image_bytes())
    state = await _compose_state(monkeypatch, team_a.member, team_a.workspace_id)
    await _run(
        lambda: ComposeState.upload.fn(state, [_file(image_bytes(), "a.jpg"), _file(image_bytes("PNG"), "b.png")])
    )
    first, second = (m["id"] for m in state.media)
    ComposeState.move_media.fn(state, 0, 1)
    assert [m["id"] for m in state.media] == [second, first]
    await _run(lambda: ComposeState.remove_media.fn(state, theirs.id))
    await _run(lambda: ComposeState.remove_media.fn(state, first))
    db.expire_all()
    assert [m["id"] for m in state.media] == [second]
    assert db.get(MediaAsset, first) is None and db.get(MediaAsset, theirs.id) is not None


async def test_composer_blocks_tiktok_without_a_video_and_asks_its_privacy(db, team_a, monkeypatch):
    async def fake_options(user_id, workspace_id, account_ids, **kw):
        return OptionsResult(
            {i: PublishOptions(privacy_levels=("PUBLIC_TO_EVERYONE", "SELF_ONLY")) for i in account_ids}
        )

    monkeypatch.setattr(compose_options, "fetch_options", fake_options)
    state = await _compose_state(monkeypatch, team_a.member, team_a.workspace_id)
    state.accounts = [
        {**a, "blocked": "", "platform_name": a["platform"]}
        for a in [
            {"id": team_a.tiktok.id, "platform": "tiktok", "name": "TT", "username": "tt", "avatar_url": ""},
            {"id": team_a.facebook.id, "platform": "facebook", "name": "FB", "username": "fb", "avatar_url": ""},
        ]
    ]
    await _run(lambda: ComposeState.toggle_account.fn(state, team_a.tiktok.id))
    ComposeState.set_text.fn(state, "Hello")
    assert [i["platform"] for i in state.issues] == ["tiktok", "tiktok"]  # needs a video, needs a privacy level
    assert not state.can_send
    await _run(lambda: ComposeState.upload.fn(state, [_file(video_bytes(), "clip.mp4")]))
    ComposeState.set_privacy.fn(state, "tiktok", "FOLLOWER_OF_CREATOR")  # not offered: ignored
    ComposeState.set_privacy.fn(state, "facebook", "SELF_ONLY")
    assert state.choices == {}
    ComposeState.set_privacy.fn(state, "tiktok", "SELF_ONLY")
    assert state.issues == [] and state.privacy[0]["chosen"] == "SELF_ONLY"
    blocked = add_account(db, team_a.workspace_id, "x", "gone", publish_capable=False)
    db.commit()
    state.accounts = [
        *state.accounts,
        {
            "id": blocked.id,
            "platform": "x",
            "name": "X",
            "username": "",
            "avatar_url": "",
            "blocked": "compose.account.not_publish_capable",
            "platform_name": "X",
        },
    ]
    await _run(lambda: ComposeState.toggle_account.fn(state, blocked.id))
    assert blocked.id not in state.selected
