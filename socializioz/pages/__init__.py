"""Importing this package registers every page with Reflex."""

from socializioz.pages import (  # noqa: F401
    auth,
    billing,
    campaigns,
    compose,
    connections,
    home,
    invite,
    oauth_result,
    onboarding,
    posts,
    support,
    workspaces,
)
