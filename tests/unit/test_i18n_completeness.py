"""Every English message has an Arabic translation with the same placeholders."""

from __future__ import annotations

import re
from string import Formatter

import pytest

from socializioz.domain.errors import i18n_messages
from socializioz.i18n import ar, ar_errors, en

EN = en.MESSAGES
AR = {**ar.MESSAGES, **ar_errors.MESSAGES}
ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in Formatter().parse(text) if field is not None}


def test_every_english_key_has_an_arabic_translation() -> None:
    missing = sorted(set(EN) - set(AR))
    assert not missing, f"keys missing from the Arabic catalogue: {missing}"


def test_every_error_catalogue_key_is_in_ar_errors() -> None:
    expected = set(i18n_messages())
    assert set(ar_errors.MESSAGES) == expected, (
        f"missing: {sorted(expected - set(ar_errors.MESSAGES))}, extra: {sorted(set(ar_errors.MESSAGES) - expected)}"
    )


@pytest.mark.parametrize("key", sorted(set(EN) & set(AR)))
def test_placeholders_match(key: str) -> None:
    assert _placeholders(AR[key]) == _placeholders(EN[key])


@pytest.mark.parametrize("key", sorted(k for k in EN if k.startswith("error.")))
def test_error_messages_are_in_arabic(key: str) -> None:
    assert key in AR
    assert ARABIC_LETTER.search(AR[key]), f"{key} has no Arabic letters: {AR[key]!r}"
