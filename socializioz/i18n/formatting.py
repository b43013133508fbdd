"""Numbers and dates in the user's language: the one place that decides separators, digits and
month names, so every page (and the CSV's headers) agrees.

The catalogues write Western digits in Arabic ("5 حسابات", "1024 حرفًا"), so Arabic keeps
them here too; switching Arabic to Arabic-Indic digits is one entry of ``_LOCALES``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from . import normalise_language

_WESTERN = "0123456789"
_ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"  # for a language whose catalogue writes Arabic-Indic digits


@dataclass(frozen=True)
class _Locale:
    digits: str
    group: str  # thousands separator
    decimal: str
    months: tuple[str, ...]  # short month names, January first


_LOCALES = {
    "en": _Locale(
        _WESTERN, ",", ".", ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    ),
    "ar": _Locale(
        _WESTERN,
        ",",
        ".",
        (
            "يناير",
            "فبراير",
            "مارس",
            "أبريل",
            "مايو",
            "يونيو",
            "يوليو",
            "أغسطس",
            "سبتمبر",
            "أكتوبر",
            "نوفمبر",
            "ديسمبر",
        ),
    ),
}


def _locale(lang: str) -> _Locale:
    return _LOCALES[normalise_language(lang)]


def _digits(text: str, locale: _Locale) -> str:
    return text if locale.digits == _WESTERN else text.translate(str.maketrans(_WESTERN, locale.digits))


def format_number(lang: str, value: int) -> str:
    """``12345`` → ``12,345`` (grouped per the language)."""
    locale = _locale(lang)
    return _digits(f"{value:,}".replace(",", locale.group), locale)


def format_percent(lang: str, value: float, *, signed: bool = False) -> str:
    """``12.345`` → ``12.3%`` (one decimal, ``+`` in front of a gain when ``signed``)."""
    locale = _locale(lang)
    text = f"{value:{'+' if signed else ''},.1f}%".replace(",", "\0").replace(".", locale.decimal)
    return _digits(text.replace("\0", locale.group), locale)


def format_day(lang: str, day: date, *, with_year: bool = False) -> str:
    """``2026-12-02`` → ``2 Dec`` / ``2 ديسمبر`` (``2 Dec 2026`` with the year)."""
    locale = _locale(lang)
    text = f"{day.day} {locale.months[day.month - 1]}" + (f" {day.year}" if with_year else "")
    return _digits(text, locale)
