"""Each platform's rules as the composer applies them before anything is scheduled, from the
platform records (reference/publishing.md), and the workspace-time-zone conversion around DST."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from socializioz.domain.platform_specs import GIF, JPEG, MB, MOV, MP4, PNG, WEBP
from socializioz.domain.platforms import CONNECTABLE_PLATFORMS, PLATFORMS
from socializioz.integrations.models import MediaItem, PublishOptions
from socializioz.services import compose_options, compose_rules, compose_time
from socializioz.services.compose_rules import check
from socializioz.services.errors import ValidationError


def image(mime: str = JPEG, size: int = 200_000, width: int = 1080, height: int = 1080) -> MediaItem:
    return MediaItem("https://app.test/media/i", "image", mime, size, width, height)


def video(mime: str = MP4, size: int = 5 * MB, seconds: float = 30, width: int = 1080, height: int = 1920) -> MediaItem:
    return MediaItem("https://app.test/media/v", "video", mime, size, width, height, seconds)


def codes(platform: str, text: str = "Hello", media=(), options=None, choices=None) -> list[str]:
    return [i.code for i in check(platform, text, list(media), options, choices)]


# -- the records hold every fact the composer checks ---------------------------------------------


@pytest.mark.parametrize("platform", CONNECTABLE_PLATFORMS, ids=lambda p: p.value)
def test_every_publishing_platform_states_its_media_facts(platform):
    rules = PLATFORMS[platform].media
    assert rules is not None and rules.video_types and rules.max_videos >= 1
    assert set(rules.image_types) | set(rules.video_types) <= {JPEG, PNG, GIF, WEBP, MP4, MOV}
    assert (rules.max_images > 0) == bool(rules.image_types)


# -- text -----------------------------------------------------------------------------------------


def test_x_counts_weighted_characters_and_links_as_23():
    assert codes("x", "a" * 280) == []
    assert codes("x", "a" * 281) == ["compose.rule.text_too_long"]
    assert codes("x", "é" * 280) == []  # Latin-1 weighs 1
    assert codes("x", "中" * 141) == ["compose.rule.text_too_long"]  # CJK weighs 2
    link = "https://example.com/" + "x" * 200
    assert compose_rules.text_count("x", link) == (23, 280)
    assert compose_rules.text_count("x", "🙂") == (2, 280)


def test_tiktok_counts_utf16_units():
    assert compose_rules.text_count("tiktok", "🙂") == (2, 2200)
    assert "compose.rule.text_too_long" in codes("tiktok", "🙂" * 1101, [video()])
    assert "compose.rule.text_too_long" not in codes("tiktok", "🙂" * 1100, [video()])


@pytest.mark.parametrize(("platform", "limit"), [("facebook", 63_206), ("instagram", 2_200), ("linkedin", 3_000)])
def test_character_limits(platform, limit):
    media = [image()]
    assert "compose.rule.text_too_long" not in codes(platform, "a" * limit, media)
    issue = check(platform, "a" * (limit + 1), media)[0]
    assert (issue.code, issue.params) == ("compose.rule.text_too_long", {"count": limit + 1, "limit": limit})


def test_instagram_hashtag_and_mention_caps():
    tags = " ".join(f"#t{i}" for i in range(31))
    assert codes("instagram", tags, [image()]) == ["compose.rule.too_many_hashtags"]
    assert codes("instagram", " ".join(f"#t{i}" for i in range(30)), [image()]) == []
    mentions = " ".join(f"@user{i}" for i in range(21))
    assert codes("instagram", mentions, [image()]) == ["compose.rule.too_many_mentions"]
    assert codes("instagram", "mail me at a@b.com #", [image()]) == []  # not a mention, not a tag


# -- media needed ---------------------------------------------------------------------------------


def test_instagram_needs_an_image_or_a_video():
    assert codes("instagram") == ["compose.instagram_needs_media"]
    assert codes("instagram", media=[image()]) == []
    assert codes("instagram", media=[video()]) == []


def test_tiktok_needs_a_video():
    assert codes("tiktok") == ["compose.tiktok_needs_media"]
    assert codes("tiktok", media=[image()]) == ["compose.tiktok_needs_media"]
    assert codes("tiktok", media=[video()]) == []


@pytest.mark.parametrize("platform", ["facebook", "x", "linkedin"])
def test_text_alone_is_a_post(platform):
    assert codes(platform) == []


# -- formats, counts, sizes, durations -------------------------------------------------------------


def test_instagram_takes_jpeg_only_in_its_aspect_range():
    assert codes("instagram", media=[image(PNG)]) == ["compose.rule.file_type"]
    assert check("instagram", "", [image(WEBP)])[0].params == {"type": "WEBP"}
    assert codes("instagram", media=[image(width=1080, height=1350)]) == []  # 4:5
    assert codes("instagram", media=[image(width=1910, height=1000)]) == []  # 1.91:1
    assert codes("instagram", media=[image(width=1080, height=1920)]) == ["compose.rule.image_aspect"]  # 9:16
    assert codes("instagram", media=[image(width=3000, height=1000)]) == ["compose.rule.image_aspect"]
    assert codes("instagram", media=[image(size=8 * MB + 1)]) == ["compose.rule.image_too_large"]


def test_instagram_carousel_mixes_up_to_ten():
    assert codes("instagram", media=[image()] * 5 + [video()] * 5) == []
    assert codes("instagram", media=[image()] * 6 + [video()] * 5) == ["compose.rule.too_many_items"]


def test_instagram_video_length_and_size():
    assert codes("instagram", media=[video(seconds=2.9)]) == ["compose.rule.video_too_short"]
    assert codes("instagram", media=[video(seconds=15 * 60 + 1)]) == ["compose.rule.video_too_long"]
    assert codes("instagram", media=[video(size=300 * MB + 1)]) == ["compose.rule.video_too_large"]


def test_x_four_images_or_one_video_never_both():
    assert codes("x", media=[image(PNG)] * 4) == []
    assert codes("x", media=[image()] * 5) == ["compose.rule.too_many_images"]
    assert codes("x", media=[image(), video()]) == ["compose.rule.no_mixing"]
    assert codes("x", media=[video(), video()]) == ["compose.rule.too_many_videos"]
    assert codes("x", media=[image(GIF, size=5 * MB + 1)]) == ["compose.rule.image_too_large"]
    assert codes("x", media=[video(seconds=140)]) == []
    assert codes("x", media=[video(seconds=141)]) == ["compose.rule.video_too_long"]
    assert codes("x", media=[video(seconds=0.4)]) == ["compose.rule.video_too_short"]


def test_facebook_ten_photos_and_one_video():
    assert codes("facebook", media=[image()] * 10) == []
    assert codes("facebook", media=[image()] * 11) == ["compose.rule.too_many_images"]
    assert codes("facebook", media=[image(WEBP)]) == ["compose.rule.file_type"]
    assert codes("facebook", media=[video(MOV)]) == []


def test_linkedin_images_and_mp4_video():
    assert codes("linkedin", media=[image(PNG)] * 20) == []
    assert codes("linkedin", media=[image()] * 21) == ["compose.rule.too_many_images"]
    assert codes("linkedin", media=[video(MOV)]) == ["compose.rule.file_type"]
    assert codes("linkedin", media=[video(seconds=2)]) == ["compose.rule.video_too_short"]
    assert codes("linkedin", media=[video(size=70 * 1024)]) == ["compose.rule.video_too_small"]
    assert codes("linkedin", media=[image(width=7000, height=6000)]) == ["compose.rule.image_pixels"]


def test_tiktok_video_limits():
    assert codes("tiktok", media=[video(seconds=601)]) == ["compose.rule.video_too_long"]
    assert codes("tiktok", media=[video(), video()]) == ["compose.rule.too_many_videos"]
    assert codes("tiktok", media=[video(), image()]) == ["compose.rule.no_images"]


# -- the creator's options (TikTok's creator info) --------------------------------------------------

LEVELS = PublishOptions(privacy_levels=("PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY"))


def test_a_privacy_level_from_the_creators_options_is_required():
    assert codes("tiktok", media=[video()], options=LEVELS) == ["compose.rule.privacy_required"]
    assert codes("tiktok", media=[video()], options=LEVELS, choices={"privacy_level": "FOLLOWER_OF_CREATOR"}) == [
        "compose.rule.privacy_required"
    ]
    assert codes("tiktok", media=[video()], options=LEVELS, choices={"privacy_level": "SELF_ONLY"}) == []


def test_without_creator_options_nothing_is_asked():
    assert codes("tiktok", media=[video()], options=PublishOptions()) == []
    assert codes("tiktok", media=[video()], options=None) == []


def test_creator_limits():
    blocked = PublishOptions(can_post=False)
    assert codes("tiktok", media=[video()], options=blocked) == ["compose.rule.cannot_post_now"]
    short = PublishOptions(privacy_levels=("SELF_ONLY",), max_video_seconds=60)
    assert codes("tiktok", media=[video(seconds=61)], options=short, choices={"privacy_level": "SELF_ONLY"}) == [
        "compose.rule.creator_video_too_long"
    ]


def test_options_of_several_accounts_merge_to_what_suits_all():
    public = PublishOptions(
        privacy_levels=("PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY"), max_video_seconds=600
    )
    private = PublishOptions(
        privacy_levels=("FOLLOWER_OF_CREATOR", "MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY"), max_video_seconds=180
    )
    merged = compose_options.merge([public, private])
    assert merged.privacy_levels == ("MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY")
    assert merged.max_video_seconds == 180 and merged.can_post
    assert not compose_options.merge([public, PublishOptions(can_post=False)]).can_post
    by_platform = compose_options.by_platform({1: "tiktok", 2: "tiktok", 3: "x"}, {1: public, 2: private})
    assert set(by_platform) == {"tiktok"} and by_platform["tiktok"] == merged


# -- accounts -------------------------------------------------------------------------------------


def test_which_accounts_can_be_chosen():
    assert compose_rules.account_block("x", True, False) == ""
    assert compose_rules.account_block("instagram", False, False) == "compose.account.not_publish_capable"
    assert compose_rules.account_block("facebook", True, True) == "compose.account.needs_reconnect"
    assert compose_rules.account_block("telegram", True, False) == "compose.account.no_publishing"


def test_preview_cuts_where_the_feed_cuts():
    assert compose_rules.preview_text("instagram", "a" * 200) == ("a" * 125, True)
    assert compose_rules.preview_text("instagram", "short") == ("short", False)
    assert compose_rules.preview_text("x", "a" * 280) == ("a" * 280, False)


# -- time zones and DST -----------------------------------------------------------------------------


def test_a_local_time_becomes_its_utc_moment():
    due = compose_time.local_to_utc("2026-07-01", "09:30", "Europe/Paris")
    assert due.utc == datetime(2026, 7, 1, 7, 30, tzinfo=UTC) and not due.ambiguous
    assert compose_time.local_to_utc("2026-07-01", "09:30", "UTC").utc == datetime(2026, 7, 1, 9, 30, tzinfo=UTC)


def test_spring_forward_gap_is_refused_with_the_time_and_zone():
    with pytest.raises(ValidationError) as excinfo:
        compose_time.local_to_utc("2026-03-08", "02:30", "America/New_York")
    assert excinfo.value.code == "compose.time_nonexistent"
    assert excinfo.value.params == {"time": "02:30", "zone": "America/New_York"}
    with pytest.raises(ValidationError):
        compose_time.local_to_utc("2026-03-29", "02:15", "Europe/Berlin")
    assert compose_time.local_to_utc("2026-03-08", "03:00", "America/New_York").utc == datetime(
        2026, 3, 8, 7, 0, tzinfo=UTC
    )


def test_fall_back_overlap_takes_the_first_occurrence_and_says_so():
    due = compose_time.local_to_utc("2026-11-01", "01:30", "America/New_York")
    assert due.ambiguous and due.utc == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # EDT, not EST's 06:30
    assert not compose_time.local_to_utc("2026-11-01", "02:30", "America/New_York").ambiguous


@pytest.mark.parametrize(
    ("day", "clock"), [("", "10:00"), ("2026-07-01", ""), ("01/07/2026", "10:00"), ("2026-02-30", "10:00")]
)
def test_malformed_dates_are_refused(day, clock):
    with pytest.raises(ValidationError) as excinfo:
        compose_time.local_to_utc(day, clock, "UTC")
    assert excinfo.value.code == "compose.time_invalid"


def test_an_unknown_zone_falls_back_to_utc():
    assert compose_time.zone("Mars/Olympus").key == "UTC"
    assert compose_time.local_to_utc("2026-07-01", "10:00", "").utc == datetime(2026, 7, 1, 10, tzinfo=UTC)


def test_saved_times_show_in_the_zone_and_the_default_slot_is_ahead():
    assert compose_time.utc_to_local(datetime(2026, 7, 1, 7, 30, tzinfo=UTC), "Europe/Paris") == ("2026-07-01", "09:30")
    assert compose_time.default_slot(datetime(2026, 7, 1, 7, 32, tzinfo=UTC), "Asia/Tokyo") == ("2026-07-01", "17:35")


def test_previews_show_only_files_the_platform_posts():
    assert compose_rules.takes_file("tiktok", MP4) and not compose_rules.takes_file("tiktok", JPEG)
    assert compose_rules.takes_file("instagram", JPEG) and not compose_rules.takes_file("instagram", PNG)
