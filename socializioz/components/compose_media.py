"""The composer's media: a drop zone (drag and drop on a desktop, the file picker on a phone) and
the uploads in order, each with move and remove buttons."""

from typing import Any

import reflex as rx
from reflex.vars import ObjectVar

from socializioz.components.text import t
from socializioz.domain.platform_specs import GIF, JPEG, MOV, MP4, PNG, WEBP
from socializioz.state.compose import MAX_UPLOAD_BYTES, UPLOAD_ID, ComposeState

_ACCEPT: dict[str, list[str]] = {mime: [] for mime in (JPEG, PNG, GIF, WEBP, MP4, MOV)}
_THUMB = "5.5rem"


def drop_zone() -> rx.Component:
    return rx.upload(
        rx.vstack(
            rx.cond(ComposeState.uploading, rx.spinner(size="3"), rx.icon("image-up", size=28)),
            rx.desktop_only(rx.text(t("compose.drop_hint"), size="2", align="center")),
            rx.mobile_and_tablet(rx.text(t("compose.pick_hint"), size="2", align="center")),
            rx.text(t("compose.media_caps"), size="1", color=rx.color("gray", 11), align="center"),
            align="center",
            spacing="2",
        ),
        id=UPLOAD_ID,
        accept=_ACCEPT,
        max_size=MAX_UPLOAD_BYTES,
        multiple=True,
        disabled=ComposeState.uploading,
        on_drop=ComposeState.upload(rx.upload_files(upload_id=UPLOAD_ID)),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
        on_drop_rejected=ComposeState.upload_rejected,
        border=f"1px dashed {rx.color('gray', 8)}",
        border_radius="var(--radius-3)",
        padding="1rem",
        width="100%",
        cursor="pointer",
        custom_attrs={"aria-label": t("compose.media")},
        on_mount=rx.call_script(_NAME_THE_FILE_INPUT),
    )


# rx.upload renders its own <input type=file> with no way to pass attributes: give it the drop
# zone's (translated) name, so screen readers announce the picker.
_NAME_THE_FILE_INPUT = (
    "(() => { const zone = document.getElementById('"
    + UPLOAD_ID
    + "'); const input = zone && zone.querySelector('input[type=file]');"
    " if (input) input.setAttribute('aria-label', zone.getAttribute('aria-label') || ''); })()"
)


def _thumb_body(item: ObjectVar[dict[str, Any]]) -> rx.Component:
    return rx.cond(
        item["kind"] == "video",
        rx.box(
            rx.el.video(src=item["url"], muted=True, preload="metadata", width="100%", height="100%"),
            rx.badge(
                rx.icon("film", size=11), item["duration"].to(str) + " s", position="absolute", bottom="4px", left="4px"
            ),
            position="relative",
            width="100%",
            height="100%",
        ),
        rx.image(src=item["url"], alt=item["name"], width="100%", height="100%", object_fit="cover"),
    )


def _thumb(item: ObjectVar[dict[str, Any]], index: rx.Var) -> rx.Component:
    small = {"size": "1", "variant": "soft", "color_scheme": "gray"}
    return rx.vstack(
        rx.box(
            _thumb_body(item),
            width=_THUMB,
            height=_THUMB,
            overflow="hidden",
            border_radius="var(--radius-2)",
            background=rx.color("gray", 3),
        ),
        rx.hstack(
            rx.icon_button(
                rx.icon("chevron-left", size=14, class_name="rtl-mirror"),
                on_click=ComposeState.move_media(index, -1),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
                disabled=index == 0,
                aria_label=t("compose.move_earlier"),
                **small,
            ),
            rx.icon_button(
                rx.icon("x", size=14),
                on_click=ComposeState.remove_media(item["id"]),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
                aria_label=t("compose.remove_media"),
                custom_attrs={"data-remove-media": item["id"]},
                **{**small, "color_scheme": "red"},
            ),
            rx.icon_button(
                rx.icon("chevron-right", size=14, class_name="rtl-mirror"),
                on_click=ComposeState.move_media(index, 1),  # type: ignore[operator]  # Reflex: mypy sees @rx.event as EventNamespace
                disabled=index == ComposeState.media.length() - 1,
                aria_label=t("compose.move_later"),
                **small,
            ),
            spacing="1",
            justify="center",
            width="100%",
        ),
        spacing="1",
        custom_attrs={"data-media": item["id"], "data-kind": item["kind"]},
    )


def media_section() -> rx.Component:
    return rx.vstack(
        rx.text(t("compose.media"), weight="medium"),
        drop_zone(),
        rx.foreach(
            ComposeState.upload_errors,
            lambda message: rx.callout(message, icon="circle-alert", color_scheme="red", size="1", width="100%"),
        ),
        rx.cond(
            ComposeState.media.length() > 0,
            rx.flex(rx.foreach(ComposeState.media, _thumb), wrap="wrap", gap="0.75rem", id="compose-media-list"),
        ),
        spacing="2",
        width="100%",
    )
