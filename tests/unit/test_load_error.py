"""The "could not load" callout of the comments, posts and inbox pages: one component, an alert
with its message and a retry button wired to the page's reload."""

from __future__ import annotations

import pytest

from socializioz.pages import comments, inbox, posts


def _text(component) -> str:
    return str(component.render())


@pytest.mark.parametrize(
    ("build", "element_id", "retry_id", "reload"),
    [
        (posts._error, "posts-error", "posts-retry-load", "reload"),
        (inbox._failed, "inbox-error", "inbox-retry", "reload"),
        (comments._error, "comments-error", "comments-retry", "reload"),
    ],
    ids=["posts", "inbox", "comments"],
)
def test_each_page_shows_an_alert_with_a_retry_that_reloads(build, element_id, retry_id, reload) -> None:
    rendered = _text(build())
    assert f'"{element_id}"' in rendered and f'"{retry_id}"' in rendered
    assert 'role:"alert"' in rendered  # read out by screen readers when it appears
    assert reload in rendered  # the button's on_click is the page state's reload event


def test_the_comments_callout_has_its_title_above_the_message() -> None:
    rendered = _text(comments._error())
    assert rendered.index("comments.error_title") < rendered.index("comments.error_body")
