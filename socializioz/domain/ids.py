"""Ids that arrive from a browser (a query string, an event's argument) as text or numbers."""

from __future__ import annotations


def positive_id(value: object) -> int:
    """A positive int, else 0 (which no row has): a malformed id reads as "no such row"."""
    try:
        number = int(str(value))
    except ValueError:
        return 0
    return number if number > 0 else 0
