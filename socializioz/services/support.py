"""The offline support assistant: explains a connection error from the catalogue and answers a
question by matching it against the catalogue's causes and fixes (no outside AI service)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from socializioz.domain import errors
from socializioz.domain.platforms import error_group

_WORD = re.compile(r"[a-z_]{3,}")


@dataclass(frozen=True)
class Diagnosis:
    code: str
    cause: str
    what_to_do: str


def diagnose(code: str, platform: str) -> Diagnosis | None:
    try:
        entry = errors.describe(code, platform)
    except errors.UnknownErrorCode:
        return None
    return Diagnosis(entry.displayed if entry.code == code else code, entry.cause, entry.what_to_do)


def answer(question: str, platform: str = "") -> list[Diagnosis]:
    """The catalogue entries whose code, cause or fix share the most words with the question."""
    words = set(_WORD.findall(question.lower()))
    if not words:
        return []
    scored = []
    for entry in errors.spec_entries():
        text = f"{entry.code} {' '.join(entry.aliases)} {entry.cause} {entry.what_to_do}".lower()
        score = sum(1 for w in words if w in text) + (2 if entry.code in words else 0)
        if platform and entry.group is error_group(platform):
            score += 1
        if score:
            scored.append((score, entry))
    scored.sort(key=lambda pair: -pair[0])
    return [Diagnosis(e.displayed, e.cause, e.what_to_do) for _, e in scored[:3]]
