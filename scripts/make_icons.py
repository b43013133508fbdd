"""Write the PWA's PNG icons from the app's mark (the one in ``assets/favicon.svg``).

Pure Python (zlib + struct) so the project needs no imaging library: each shape is a signed
distance function on the favicon's 32-unit grid, and a pixel's coverage is its distance to the
edge clamped to one pixel, which gives anti-aliased edges without supersampling.

    python scripts/make_icons.py        # rewrites assets/icon-*.png and apple-touch-icon.png
"""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

ASSETS = Path(__file__).resolve().parents[1] / "assets"
INDIGO = (0x5B, 0x5B, 0xD6)
WHITE = (0xFF, 0xFF, 0xFF)

# The mark, in the favicon's 32x32 units: three dots joined by two strokes.
DOTS = ((10.0, 16.0), (22.0, 9.0), (22.0, 23.0))
DOT_RADIUS = 4.0
STROKES = (((10.0, 16.0), (22.0, 9.0)), ((10.0, 16.0), (22.0, 23.0)))
STROKE_HALF_WIDTH = 1.0


def _segment_distance(px: float, py: float, a: tuple[float, float], b: tuple[float, float]) -> float:
    ax, ay = a
    bx, by = b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def _mark_distance(x: float, y: float) -> float:
    """Signed distance (in 32-units) to the white mark; negative inside."""
    dots = min(math.hypot(x - cx, y - cy) - DOT_RADIUS for cx, cy in DOTS)
    strokes = min(_segment_distance(x, y, a, b) - STROKE_HALF_WIDTH for a, b in STROKES)
    return min(dots, strokes)


def _rounded_square_distance(x: float, y: float, radius: float) -> float:
    """Signed distance to the 32x32 square with corner ``radius``; negative inside."""
    qx = abs(x - 16.0) - (16.0 - radius)
    qy = abs(y - 16.0) - (16.0 - radius)
    outside = math.hypot(max(qx, 0.0), max(qy, 0.0))
    return outside + min(max(qx, qy), 0.0) - radius


def render(size: int, corner_radius: float, mark_scale: float) -> bytes:
    """RGBA rows of one icon: the indigo tile (``corner_radius`` 0 = full bleed) and the mark,
    scaled about the centre by ``mark_scale`` (maskable icons keep it inside the safe zone)."""
    unit = 32.0 / size  # 32-units per pixel
    rows = bytearray()
    for j in range(size):
        rows.append(0)  # PNG filter type: none
        y = (j + 0.5) * unit
        my = 16.0 + (y - 16.0) / mark_scale
        for i in range(size):
            x = (i + 0.5) * unit
            tile = 1.0 if corner_radius == 0 else _coverage(_rounded_square_distance(x, y, corner_radius), unit)
            mx = 16.0 + (x - 16.0) / mark_scale
            mark = _coverage(_mark_distance(mx, my) * mark_scale, unit)
            color = [round(c0 + (c1 - c0) * mark) for c0, c1 in zip(INDIGO, WHITE, strict=True)]
            rows.extend((*color, round(255 * tile)))
    return bytes(rows)


def _coverage(distance: float, unit: float) -> float:
    return max(0.0, min(1.0, 0.5 - distance / unit))


def png(size: int, rgba_rows: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rgba_rows, 9))
        + chunk(b"IEND", b"")
    )


# name: (size, corner radius in 32-units, mark scale)
ICONS = {
    "icon-192.png": (192, 7.0, 1.0),
    "icon-512.png": (512, 7.0, 1.0),
    # Maskable: full bleed; platforms crop to a circle of 80 % of the width, so the mark shrinks.
    "icon-maskable-512.png": (512, 0.0, 0.72),
    # iOS rounds the corners itself and shows transparency as black: full bleed, slightly smaller.
    "apple-touch-icon.png": (180, 0.0, 0.85),
}


def main() -> None:
    for name, (size, radius, scale) in ICONS.items():
        (ASSETS / name).write_bytes(png(size, render(size, radius, scale)))
        print(f"wrote assets/{name} ({size}x{size})")


if __name__ == "__main__":
    main()
