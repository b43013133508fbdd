"""Would each chosen platform take this post? Checked in the composer as the user types and again
before anything is saved as due, from the platform records (``MediaRules``) and, for TikTok, the
creator's own options (``PublishOptions``): a post the platform would refuse is never queued.

Pure functions over plain values: the same answers in the live composer and in ``compose.save_post``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from socializioz.domain.platform_specs import MB, MediaRequirement, MediaRules
from socializioz.domain.platforms import Capability, platform_info
from socializioz.domain.text_length import caption_length
from socializioz.integrations.models import MediaItem, PublishOptions

PRIVACY_OPTION = "privacy_level"
_HASHTAG = re.compile(r"(?<![\w#])#\w+")
_MENTION = re.compile(r"(?<![\w@])@[\w.]+")


@dataclass(frozen=True)
class Issue:
    """One reason a platform would refuse the post: a catalogue key and what fills it in."""

    platform: str
    code: str
    params: Mapping[str, object] = field(default_factory=dict)


def text_count(platform: str, text: str) -> tuple[int, int]:
    """(length in the platform's own counting, its limit)."""
    rules = _rules(platform)
    return caption_length(text, rules.text_counting), rules.max_text


def _rules(platform: str) -> MediaRules:
    rules = platform_info(platform).media
    if rules is None:
        raise ValueError(f"{platform} has no publishing rules")
    return rules


def account_block(platform: str, publish_capable: bool, needs_reconnect: bool) -> str:
    """Why an account cannot be chosen ("" when it can): a catalogue key."""
    if not platform_info(platform).supports(Capability.PUBLISH) or platform_info(platform).media is None:
        return "compose.account.no_publishing"
    if needs_reconnect:
        return "compose.account.needs_reconnect"
    if not publish_capable:
        return "compose.account.not_publish_capable"
    return ""


def media_scope_issues(platform: str, lacks_media_scope: bool, media: Sequence[MediaItem]) -> list[Issue]:
    """An account that may post text but not images or video (connected before the platform's
    media scope was asked for, e.g. X's ``media.write``): with media attached, it must reconnect."""
    if not lacks_media_scope or not media:
        return []
    return [Issue(platform, "compose.rule.media_reconnect", {"platform": platform_info(platform).display_name})]


def check(
    platform: str,
    text: str,
    media: Sequence[MediaItem],
    options: PublishOptions | None = None,
    choices: Mapping[str, str] | None = None,
) -> list[Issue]:
    """Every reason ``platform`` would refuse this post (empty: it would take it)."""
    rules = _rules(platform)
    issues = [Issue(platform, code, params) for code, params in _text_issues(rules, text)]
    issues += [Issue(platform, code, params) for code, params in _media_issues(platform, rules, media)]
    issues += [Issue(platform, code, params) for code, params in _option_issues(options, choices or {}, media)]
    return issues


def _text_issues(rules: MediaRules, text: str) -> list[tuple[str, dict[str, object]]]:
    issues: list[tuple[str, dict[str, object]]] = []
    count = caption_length(text, rules.text_counting)
    if count > rules.max_text:
        issues.append(("compose.rule.text_too_long", {"count": count, "limit": rules.max_text}))
    hashtags, mentions = len(_HASHTAG.findall(text)), len(_MENTION.findall(text))
    if rules.max_hashtags is not None and hashtags > rules.max_hashtags:
        issues.append(("compose.rule.too_many_hashtags", {"count": hashtags, "limit": rules.max_hashtags}))
    if rules.max_mentions is not None and mentions > rules.max_mentions:
        issues.append(("compose.rule.too_many_mentions", {"count": mentions, "limit": rules.max_mentions}))
    return issues


def _media_issues(platform: str, rules: MediaRules, media: Sequence[MediaItem]) -> list[tuple[str, dict[str, object]]]:
    images = [m for m in media if m.kind == "image"]
    videos = [m for m in media if m.kind == "video"]
    if rules.requires is MediaRequirement.VIDEO and not videos:
        return [(f"compose.{platform}_needs_media", {})]
    if rules.requires is MediaRequirement.IMAGE_OR_VIDEO and not media:
        return [(f"compose.{platform}_needs_media", {})]
    issues = _count_issues(rules, images, videos)
    for item in media:
        if (item.kind == "image" and rules.image_types) or (item.kind == "video" and rules.video_types):
            issues += _file_issues(rules, item)  # a kind it takes none of is said once, above
    return issues


def _count_issues(
    rules: MediaRules, images: list[MediaItem], videos: list[MediaItem]
) -> list[tuple[str, dict[str, object]]]:
    if images and not rules.image_types:
        return [("compose.rule.no_images", {})]
    if videos and not rules.video_types:
        return [("compose.rule.no_videos", {})]
    if images and videos and not rules.mixes_media:
        return [("compose.rule.no_mixing", {})]
    if rules.max_items is not None and len(images) + len(videos) > rules.max_items:
        return [("compose.rule.too_many_items", {"limit": rules.max_items})]
    if len(images) > rules.max_images:
        return [("compose.rule.too_many_images", {"limit": rules.max_images})]
    if len(videos) > rules.max_videos:
        return [("compose.rule.too_many_videos", {"limit": rules.max_videos})]
    return []


def _file_issues(rules: MediaRules, item: MediaItem) -> list[tuple[str, dict[str, object]]]:
    if not rules.takes(item.mime_type):
        return [("compose.rule.file_type", {"type": item.mime_type.split("/")[-1].upper()})]
    if item.kind == "image":
        return _image_issues(rules, item)
    return _video_issues(rules, item)


def _image_issues(rules: MediaRules, item: MediaItem) -> list[tuple[str, dict[str, object]]]:
    issues: list[tuple[str, dict[str, object]]] = []
    if rules.max_image_bytes is not None and item.size_bytes > rules.max_image_bytes:
        issues.append(("compose.rule.image_too_large", {"limit": rules.max_image_bytes // MB}))
    if item.width and item.height:
        ratio = item.width / item.height
        if (
            rules.image_aspect is not None
            and not rules.image_aspect[0] - 0.005 <= ratio <= rules.image_aspect[1] + 0.005
        ):
            issues.append(("compose.rule.image_aspect", {}))
        if rules.max_image_pixels is not None and item.width * item.height >= rules.max_image_pixels:
            issues.append(("compose.rule.image_pixels", {}))
    return issues


def _video_issues(rules: MediaRules, item: MediaItem) -> list[tuple[str, dict[str, object]]]:
    issues: list[tuple[str, dict[str, object]]] = []
    if rules.max_video_bytes is not None and item.size_bytes > rules.max_video_bytes:
        issues.append(("compose.rule.video_too_large", {"limit": rules.max_video_bytes // MB}))
    if rules.min_video_bytes is not None and item.size_bytes < rules.min_video_bytes:
        issues.append(("compose.rule.video_too_small", {"limit": rules.min_video_bytes // 1024}))
    seconds = item.duration_seconds
    if seconds is not None and rules.min_video_seconds is not None and seconds < rules.min_video_seconds:
        issues.append(("compose.rule.video_too_short", {"seconds": _seconds(rules.min_video_seconds)}))
    if seconds is not None and rules.max_video_seconds is not None and seconds > rules.max_video_seconds:
        issues.append(("compose.rule.video_too_long", {"seconds": _seconds(rules.max_video_seconds)}))
    return issues


def _option_issues(
    options: PublishOptions | None, choices: Mapping[str, str], media: Sequence[MediaItem]
) -> list[tuple[str, dict[str, object]]]:
    """The creator's own limits (TikTok's creator info); nothing when the platform has none."""
    if options is None:
        return []
    if not options.can_post:
        return [("compose.rule.cannot_post_now", {})]
    issues: list[tuple[str, dict[str, object]]] = []
    if options.privacy_levels and choices.get(PRIVACY_OPTION) not in options.privacy_levels:
        issues.append(("compose.rule.privacy_required", {}))
    longest = max((m.duration_seconds or 0 for m in media if m.kind == "video"), default=0)
    if options.max_video_seconds is not None and longest > options.max_video_seconds:
        issues.append(("compose.rule.creator_video_too_long", {"seconds": options.max_video_seconds}))
    return issues


def _seconds(value: float) -> str:
    return f"{value:g}"


# TikTok's creator-info privacy levels (publishing.md §3.2) and the words the composer shows.
PRIVACY_LABELS = {
    "PUBLIC_TO_EVERYONE": "compose.privacy.public",
    "MUTUAL_FOLLOW_FRIENDS": "compose.privacy.friends",
    "FOLLOWER_OF_CREATOR": "compose.privacy.followers",
    "SELF_ONLY": "compose.privacy.only_me",
}


def preview_text(platform: str, text: str) -> tuple[str, bool]:
    """The caption as the platform's feed first shows it, and whether "… more" follows."""
    limit = _rules(platform).preview_chars
    if limit is None or len(text) <= limit:
        return text, False
    return text[:limit].rstrip(), True


def takes_file(platform: str, mime_type: str) -> bool:
    """Whether the platform posts a file of this type at all (the preview shows only those)."""
    return _rules(platform).takes(mime_type)
