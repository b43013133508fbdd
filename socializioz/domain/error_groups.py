"""The spec's error tables, by name: a leaf both the platform records (which name their table)
and the error catalogue (whose entries belong to one) import, so neither imports the other."""

from __future__ import annotations

import enum


class ErrorGroup(str, enum.Enum):
    """The table of the spec an entry belongs to (``runtime``: ours, not the spec's)."""

    GENERAL = "general"
    META = "meta"
    X = "x"
    TIKTOK = "tiktok"
    LINKEDIN = "linkedin"
    RUNTIME = "runtime"
