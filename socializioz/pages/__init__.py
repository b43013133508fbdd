"""Importing this package registers every page with Reflex."""

from socializioz.pages import auth, billing, connections, home, workspaces  # noqa: F401
