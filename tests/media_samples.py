"""Small real media files made in memory: images by Pillow, MP4/QuickTime files with just the boxes
the media store reads (ftyp, moov/mvhd, moov/trak/tkhd), so tests need no binary fixtures."""

from __future__ import annotations

import io
import struct

from PIL import Image


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (1080, 1080), color: str = "#5b5bd6") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    return out.getvalue()


def _box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(body), kind) + body


def _mvhd(seconds: float, timescale: int = 1000) -> bytes:
    body = struct.pack(">B3xIIII", 0, 0, 0, timescale, round(seconds * timescale)) + bytes(80)
    return _box(b"mvhd", body)


def _tkhd(width: int, height: int, version: int = 0) -> bytes:
    if version == 1:
        head = struct.pack(">B3xQQI4xQ", 1, 0, 0, 1, 0)
    else:
        head = struct.pack(">B3xIII4xI", 0, 0, 0, 1, 0)
    body = head + bytes(8) + bytes(8) + bytes(36) + struct.pack(">II", width << 16, height << 16)
    return _box(b"tkhd", body)


def video_bytes(
    seconds: float = 12.0,
    size: tuple[int, int] = (1080, 1920),
    brand: bytes = b"isom",
    padding: int = 0,
    moov_last: bool = False,
) -> bytes:
    """An MP4 (or, with brand ``qt  ``, a QuickTime movie) of ``seconds`` with an audio and a video track."""
    ftyp = _box(b"ftyp", brand + struct.pack(">I", 0) + brand)
    audio = _box(b"trak", _tkhd(0, 0))
    video = _box(b"trak", _tkhd(*size, version=1))
    moov = _box(b"moov", _mvhd(seconds) + audio + video)
    mdat = _box(b"mdat", bytes(padding))
    return ftyp + (mdat + moov if moov_last else moov + mdat)
