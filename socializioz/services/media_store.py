"""Uploaded images and videos: where their bytes live, and the rows that describe them.

``MediaStore`` is the small interface (write, open, delete); ``FolderStore``, the embedded default,
keeps each file in a folder under the data dir (directory 0700, files 0600) named by a random key,
never by the user's filename. A file's type is read from its bytes (``media_probe``); what it
claims to be is ignored. The public URL uses a second random token (``MediaAsset.token``), so the
URL platforms fetch from reveals nothing about where the bytes are kept.

Every function takes the caller and the workspace: an asset of another workspace is ``NotFound``,
exactly like one that does not exist.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Protocol

from sqlmodel import Session, col, select

from socializioz.domain.platform_specs import MB
from socializioz.integrations.models import MediaItem
from socializioz.models import MediaAsset, Post, User
from socializioz.services import media_probe
from socializioz.services.errors import NotFound, ValidationError
from socializioz.services.media_urls import media_public_url
from socializioz.services.persisted import saved_id
from socializioz.services.workspaces import role_in
from socializioz.settings import get_settings

# What one upload may weigh: the largest any platform takes for its images (TikTok photos, 20 MB)
# and what an embedded server should hold for a video (Instagram's 300 MB; X and LinkedIn take
# more, TikTok 4 GB, but a self-hosted box receiving them through the browser should not).
MAX_IMAGE_BYTES = 20 * MB
MAX_VIDEO_BYTES = 300 * MB
MAX_UPLOAD_BYTES = max(MAX_IMAGE_BYTES, MAX_VIDEO_BYTES)
MAX_FILENAME = 255
_CHUNK = 1024 * 1024
_TOKEN_BYTES = 32  # 256 bits: a URL nobody guesses


class MediaStore(Protocol):
    """Where the bytes of uploads live. ``key`` is the store's own name for one file."""

    def write(self, key: str, source: BinaryIO, limit: int) -> int:
        """Copy ``source`` under ``key``; returns its size, or -1 (nothing kept) past ``limit`` bytes."""
        ...

    def open(self, key: str) -> BinaryIO: ...

    def local_path(self, key: str) -> Path | None:
        """A file on this machine, when the store has one (the route then serves ranges)."""
        ...

    def delete(self, key: str) -> None: ...


class FolderStore:
    """The embedded default: one private file per upload in ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        if not key or not all(c.isalnum() for c in key):  # keys are ours (hex), never a path
            raise NotFound("media.not_found")
        return self.root / key

    def _ensure_root(self) -> None:
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(self.root, 0o700)  # mkdir's mode is filtered by the umask

    def write(self, key: str, source: BinaryIO, limit: int) -> int:
        self._ensure_root()
        final = self._path(key)
        partial = final.with_name(key + "part")
        size = 0
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as out:
                while chunk := source.read(_CHUNK):
                    size += len(chunk)
                    if size > limit:
                        break
                    out.write(chunk)
            if size > limit:
                partial.unlink(missing_ok=True)
                return -1
            os.replace(partial, final)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return size

    def open(self, key: str) -> BinaryIO:
        try:
            return self._path(key).open("rb")
        except FileNotFoundError as error:
            raise NotFound("media.not_found") from error

    def local_path(self, key: str) -> Path | None:
        path = self._path(key)
        return path if path.is_file() else None

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


def default_store() -> MediaStore:
    """The embedded default, under the data dir the settings name now."""
    return FolderStore(get_settings().data_dir / "media")


def _caps(kind: str) -> int:
    return MAX_IMAGE_BYTES if kind == "image" else MAX_VIDEO_BYTES


def _member(db: Session, user: User | None, workspace_id: int) -> User:
    if user is None or role_in(db, user, workspace_id) is None:
        raise NotFound("workspace.not_found")
    return user


def save_upload(
    db: Session,
    user: User | None,
    workspace_id: int,
    filename: str,
    source: BinaryIO,
    store: MediaStore | None = None,
) -> MediaAsset:
    """Keep one uploaded file for the workspace. Refuses (keeping nothing) a type the store does not
    take, a file over its kind's cap, and bytes that do not read as what they claim. Commits."""
    store = store or default_store()
    member = _member(db, user, workspace_id)
    mime_type = media_probe.sniff(source.read(media_probe.HEAD_BYTES))
    if mime_type is None:
        raise ValidationError("media.unsupported_type")
    kind = media_probe.kind_of(mime_type)
    source.seek(0)
    key = secrets.token_hex(16)
    size = store.write(key, source, _caps(kind))
    if size < 0:
        code = "media.image_too_large" if kind == "image" else "media.video_too_large"
        raise ValidationError(code, limit=_caps(kind) // MB)
    try:
        with store.open(key) as stored:
            facts = media_probe.probe(mime_type, stored)
    except ValidationError:
        store.delete(key)
        raise
    asset = MediaAsset(
        workspace_id=workspace_id,
        uploaded_by=saved_id(member),
        token=secrets.token_urlsafe(_TOKEN_BYTES),
        storage_key=key,
        filename=os.path.basename(filename)[:MAX_FILENAME],
        mime_type=facts.mime_type,
        kind=facts.kind,
        size_bytes=size,
        width=facts.width,
        height=facts.height,
        duration_seconds=facts.duration_seconds,
    )
    try:
        db.add(asset)
        db.commit()
    except BaseException:
        store.delete(key)
        raise
    return asset


def workspace_assets(db: Session, user: User | None, workspace_id: int, asset_ids: list[int]) -> list[MediaAsset]:
    """The workspace's assets in the order asked; any foreign or unknown id is ``NotFound``."""
    _member(db, user, workspace_id)
    if not asset_ids:
        return []
    rows = db.exec(
        select(MediaAsset).where(col(MediaAsset.id).in_(asset_ids), MediaAsset.workspace_id == workspace_id)
    ).all()
    by_id = {saved_id(row): row for row in rows}
    if any(i not in by_id for i in asset_ids):
        raise NotFound("media.not_found")
    return [by_id[i] for i in asset_ids]


def _used_by_a_post(db: Session, workspace_id: int, asset_id: int) -> bool:
    lists = db.exec(
        select(Post.media_ids).where(Post.workspace_id == workspace_id, col(Post.media_ids).contains(str(asset_id)))
    ).all()
    return any(asset_id in json.loads(ids or "[]") for ids in lists)


def delete_asset(
    db: Session, user: User | None, workspace_id: int, asset_id: int, store: MediaStore | None = None
) -> bool:
    """Forget an upload nobody's post uses (removed from the composer before saving). A saved post
    keeps its media: then nothing is deleted and the answer is False. Commits."""
    (asset,) = workspace_assets(db, user, workspace_id, [asset_id])
    if _used_by_a_post(db, workspace_id, asset_id):
        return False
    key = asset.storage_key
    db.delete(asset)
    db.commit()
    (store or default_store()).delete(key)
    return True


def asset_by_token(db: Session, token: str) -> MediaAsset | None:
    """The asset a public URL names (the route serves it to anyone holding the URL, as platforms must)."""
    if not 0 < len(token) <= 64:
        return None
    return db.exec(select(MediaAsset).where(MediaAsset.token == token)).first()


def media_item(asset: MediaAsset) -> MediaItem:
    """An asset as a platform client and the composer's rules see it."""
    return MediaItem(
        url=media_public_url(asset.token),
        kind=asset.kind,
        mime_type=asset.mime_type,
        size_bytes=asset.size_bytes,
        width=asset.width,
        height=asset.height,
        duration_seconds=asset.duration_seconds,
    )


def iter_bytes(source: BinaryIO, chunk: int = _CHUNK) -> Iterator[bytes]:
    """An opened stored file in chunks (a response from a store without local files); closes it."""
    with source:
        while data := source.read(chunk):
            yield data
