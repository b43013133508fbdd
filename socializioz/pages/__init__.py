"""Importing this package registers every page with Reflex."""

from socializioz.pages import (  # noqa: F401
    analytics,
    auth,
    billing,
    campaigns,
    comments,
    compose,
    connections,
    home,
    inbox,
    invite,
    oauth_result,
    onboarding,
    posts,
    support,
    workspaces,
)
