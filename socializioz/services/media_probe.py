"""What an uploaded file really is, read from its bytes: never from its name or the browser's
Content-Type, which a user (or an attacker) chooses freely.

Images: the signature picks the type and Pillow reads the dimensions from the header (it decodes
no pixels; its decompression-bomb guard refuses absurd sizes). Videos: MP4 and QuickTime share the
ISO base-media box layout, and the two facts validation needs are in two fixed-layout boxes:
``moov/mvhd`` (timescale and duration) and the video track's ``moov/trak/tkhd`` (width and height,
16.16 fixed point). Reading them is about sixty lines of ``struct``; the libraries that could do it
either wrap a system library (``pymediainfo`` needs libmediainfo, ``ffprobe`` a binary) or report
the duration but not the dimensions (``mutagen``), so the boxes are parsed here, minimally, with
every size checked against the file so a malformed file is refused instead of misread.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from PIL import Image, UnidentifiedImageError

from socializioz.domain.platform_specs import GIF, JPEG, MOV, MP4, PNG, WEBP
from socializioz.services.errors import ValidationError

HEAD_BYTES = 16  # enough for every signature below
_IMAGE_SIGNATURES = ((b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG), (b"GIF87a", GIF), (b"GIF89a", GIF))
_PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG", GIF: "GIF", WEBP: "WEBP"}
_QUICKTIME_BRAND = b"qt  "
_CONTAINERS = {b"moov", b"trak", b"mdia"}  # boxes whose children we descend into
_MAX_BOXES = 10_000  # a malformed file cannot keep the parser busy


def _unreadable() -> ValidationError:
    """The bytes claim a type but its header cannot be read: refused, never stored."""
    return ValidationError("media.unreadable")


@dataclass(frozen=True)
class MediaFacts:
    mime_type: str
    kind: str  # "image" / "video"
    width: int | None = None
    height: int | None = None
    duration_seconds: float | None = None


def sniff(head: bytes) -> str | None:
    """The MIME type the first bytes prove, or ``None`` for anything the store does not take."""
    for signature, mime in _IMAGE_SIGNATURES:
        if head.startswith(signature):
            return mime
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[4:8] == b"ftyp":
        return MOV if head[8:12] == _QUICKTIME_BRAND else MP4
    return None


def kind_of(mime_type: str) -> str:
    return mime_type.split("/", 1)[0]


def probe(mime_type: str, file: BinaryIO) -> MediaFacts:
    """The dimensions (and a video's duration) of a file whose type ``sniff`` found."""
    file.seek(0)
    if kind_of(mime_type) == "image":
        image_width, image_height = _image_size(mime_type, file)
        return MediaFacts(mime_type, "image", image_width, image_height)
    duration, width, height = _movie_facts(file)
    return MediaFacts(mime_type, "video", width, height, duration)


def _image_size(mime_type: str, file: BinaryIO) -> tuple[int, int]:
    try:
        with Image.open(file) as image:
            if image.format != _PILLOW_FORMATS[mime_type]:
                raise _unreadable()
            width, height = image.size
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as error:
        raise _unreadable() from error
    return width, height


def _movie_facts(file: BinaryIO) -> tuple[float, int | None, int | None]:
    end = file.seek(0, 2)
    duration: float | None = None
    width = height = None
    for box, start, size in _boxes(file, 0, end, depth=0):
        file.seek(start)
        body = file.read(min(size, 120))
        if box == b"mvhd":
            duration = _mvhd_duration(body)
        elif box == b"tkhd" and width is None:
            width, height = _tkhd_size(body)
    if duration is None:
        raise _unreadable()
    return duration, width, height


def _boxes(
    file: BinaryIO, start: int, end: int, depth: int, seen: list[int] | None = None
) -> Iterator[tuple[bytes, int, int]]:
    """(type, body offset, body size) of every box under ``start``..``end``, descending into
    ``moov``, ``trak`` and ``mdia``."""
    seen = seen if seen is not None else [0]
    offset = start
    while offset + 8 <= end:
        seen[0] += 1
        if seen[0] > _MAX_BOXES:
            raise _unreadable()
        file.seek(offset)
        size, box = struct.unpack(">I4s", file.read(8))
        header = 8
        if size == 1:
            (size,) = struct.unpack(">Q", file.read(8))
            header = 16
        elif size == 0:
            size = end - offset
        if size < header or offset + size > end:
            raise _unreadable()
        if box in _CONTAINERS and depth < 3:
            yield from _boxes(file, offset + header, offset + size, depth + 1, seen)
        else:
            yield box, offset + header, size - header
        offset += size


def _mvhd_duration(body: bytes) -> float:
    version = body[0] if body else -1
    layout = {0: (">II", 12), 1: (">IQ", 20)}.get(version)  # (timescale, duration) after the times
    if layout is None or len(body) < layout[1] + struct.calcsize(layout[0]):
        raise _unreadable()
    timescale, duration = struct.unpack_from(layout[0], body, layout[1])
    if not timescale:
        raise _unreadable()
    return round(float(duration) / float(timescale), 3)


def _tkhd_size(body: bytes) -> tuple[int | None, int | None]:
    """A track's width and height; (None, None) for a track without a picture (audio)."""
    offset = {0: 76, 1: 88}.get(body[0] if body else -1)
    if offset is None or len(body) < offset + 8:
        raise _unreadable()
    width, height = struct.unpack_from(">II", body, offset)
    if not width or not height:
        return None, None
    return width >> 16, height >> 16
