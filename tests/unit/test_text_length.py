"""The platforms' own caption counts (reference/publishing.md §4.2 examples)."""

from socializioz.domain.text_length import caption_length, utf16_length, x_weighted_length


def test_x_counts_latin_as_one_and_cjk_as_two() -> None:
    assert x_weighted_length("a" * 280) == 280
    assert x_weighted_length("漢" * 140) == 280


def test_x_counts_each_emoji_with_its_skin_tone_as_two() -> None:
    assert x_weighted_length("Hi 👋🏽") == 5
    assert x_weighted_length("👨‍👩‍👧") == 2  # one ZWJ family
    assert x_weighted_length("🇸🇦") == 2  # one flag


def test_x_counts_every_url_as_23_whatever_its_length() -> None:
    url = "https://example.com/" + "p" * 80
    assert x_weighted_length(url) == 23
    assert x_weighted_length(f"see {url} now") == 4 + 23 + 4


def test_tiktok_counts_utf16_units_and_others_characters() -> None:
    assert utf16_length("😀") == 2
    assert caption_length("😀a", "utf16") == 3
    assert caption_length("😀a", "characters") == 2
    assert caption_length("مرحبا", "weighted") == 5  # Arabic is in the weight-1 range
