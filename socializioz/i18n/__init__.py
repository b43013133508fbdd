"""Message catalogues (English and Arabic) and the lookup used by states.

Every user-facing string is a key here. ``translate`` formats on the server (for strings with
parameters); ``catalogue`` gives the whole table of one language to the browser, where components
index it by key.
"""

from __future__ import annotations

from .ar import MESSAGES as _AR
from .en import MESSAGES as _EN

LANGUAGES = {"en": _EN, "ar": _AR}
RTL_LANGUAGES = frozenset({"ar"})
DEFAULT_LANGUAGE = "en"


def normalise_language(lang: str | None) -> str:
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def catalogue(lang: str) -> dict[str, str]:
    """Every message of ``lang``, falling back to English for keys not yet translated."""
    return {**_EN, **LANGUAGES[normalise_language(lang)]}


def translate(lang: str, key: str, **params: object) -> str:
    """One message, formatted with ``params``; an unknown key is returned as is so it shows up in review."""
    template = catalogue(lang).get(key, key)
    return template.format(**params) if params else template


def direction(lang: str) -> str:
    return "rtl" if normalise_language(lang) in RTL_LANGUAGES else "ltr"
