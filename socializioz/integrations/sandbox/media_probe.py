"""What the sandbox learns from media bytes, as a platform's processing would: the format from
the file's signature and, for MP4/MOV, the duration from the ``mvhd`` box.

Uploads arrive in pieces, so ``BoxWalker`` follows the top-level boxes across chunks by offset; a
duration that cannot be read (``moov`` split across chunks, another container) is ``None`` and the
checks that need it are skipped, never guessed.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

VIDEO_TYPES = frozenset({"video/mp4", "video/quicktime", "video/webm"})
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})


def sniff(head: bytes) -> str | None:
    """The MIME type a file's first bytes declare, or None."""
    if head[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    if head[:4] == b"GIF8":
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp":
        return "video/quicktime" if head[8:12] == b"qt  " else "video/mp4"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "video/webm"
    return None


def _mvhd_seconds(moov: bytes) -> float | None:
    at = moov.find(b"mvhd")
    if at < 4:
        return None
    version = moov[at + 4]
    try:
        if version == 1:
            timescale, duration = struct.unpack(">IQ", moov[at + 24 : at + 36])
        else:
            timescale, duration = struct.unpack(">II", moov[at + 16 : at + 24])
    except struct.error:
        return None
    return duration / timescale if timescale else None


@dataclass
class BoxWalker:
    """Top-level MP4 boxes seen so far; ``feed`` each chunk in order with its file offset."""

    next_box: int = 0
    duration: float | None = None
    seen: list[str] = field(default_factory=list)

    def feed(self, chunk: bytes, offset: int) -> None:
        while offset <= self.next_box < offset + len(chunk) - 8:
            at = self.next_box - offset
            size, kind = struct.unpack(">I4s", chunk[at : at + 8])
            name = kind.decode("latin-1")
            self.seen.append(name)
            if size == 1 and at + 16 <= len(chunk):
                size = struct.unpack(">Q", chunk[at + 8 : at + 16])[0]
            if size < 8:
                self.next_box = 1 << 62  # malformed or "to end of file": stop walking
                return
            if name == "moov" and self.duration is None:
                self.duration = _mvhd_seconds(chunk[at : at + size])
            self.next_box += size


@dataclass(frozen=True)
class Probe:
    mime: str | None
    size: int
    duration: float | None


def probe(data: bytes) -> Probe:
    """The facts of a whole file."""
    walker = BoxWalker()
    if data[4:8] == b"ftyp":
        walker.feed(data, 0)
    return Probe(sniff(data[:16]), len(data), walker.duration)
