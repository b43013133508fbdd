"""Importing this package registers every page with Reflex."""

from socializioz.pages import auth, billing, compose, connections, home, invite, oauth_result, support, workspaces  # noqa: F401
