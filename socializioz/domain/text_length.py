"""How each platform counts a caption (reference/publishing.md §0 and §4.2), so the composer's live
counter, compose's validation and the sandbox agree with the platforms.

X counts by twitter-text config v3: text NFC-normalised; every URL counts 23; each emoji (with its
skin tone, variation selector and ZWJ sequence) counts 2; code points in the weight-1 ranges count
1 and everything else (CJK, ...) counts 2. TikTok counts UTF-16 code units; the others count
characters.
"""

from __future__ import annotations

import re
import unicodedata

X_URL_LENGTH = 23
_URL = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"]+")
_WEIGHT_ONE = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
_EMOJI = ((0x1F000, 0x1FAFF), (0x2600, 0x27BF), (0x2300, 0x23FF), (0x2B00, 0x2BFF), (0x1F1E6, 0x1F1FF))
_JOINERS = {0x200D, 0xFE0E, 0xFE0F, 0x20E3}
_SKIN_TONES = (0x1F3FB, 0x1F3FF)


def _in(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(low <= code <= high for low, high in ranges)


def _is_emoji(code: int) -> bool:
    return _in(code, _EMOJI)


def x_weighted_length(text: str) -> int:
    """The length X checks against its 280 limit."""
    text = unicodedata.normalize("NFC", text)
    total = 0
    for piece_index, piece in enumerate(_URL.split(text)):
        if piece_index:
            total += X_URL_LENGTH
        total += _weighted(piece)
    return total


def _weighted(text: str) -> int:
    total, index, codes = 0, 0, [ord(c) for c in text]
    while index < len(codes):
        code = codes[index]
        index += 1
        if _is_emoji(code):
            # One emoji: absorb modifiers, selectors and everything a ZWJ joins to it.
            while index < len(codes) and (
                codes[index] in _JOINERS
                or _SKIN_TONES[0] <= codes[index] <= _SKIN_TONES[1]
                or (codes[index - 1] == 0x200D and _is_emoji(codes[index]))
                or (0x1F1E6 <= code <= 0x1F1FF and 0x1F1E6 <= codes[index] <= 0x1F1FF)
            ):
                index += 1
            total += 2
        else:
            total += 1 if _in(code, _WEIGHT_ONE) else 2
    return total


def utf16_length(text: str) -> int:
    """TikTok's count: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def caption_length(text: str, counting: str) -> int:
    """The length in a platform's own counting (``MediaRules.text_counting``)."""
    if counting == "weighted":
        return x_weighted_length(text)
    if counting == "utf16":
        return utf16_length(text)
    return len(text)
