"""``/`` sends a signed-in user to the set-up wizard while it is unfinished, else to Connections (and
anyone else to sign in, via require_user). Sign-in and sign-up without a ``next`` land here."""

import reflex as rx

from socializioz import routes
from socializioz.components.layout import loading_screen
from socializioz.state.session import SessionState


@rx.page(route=routes.HOME, title="Socializioz", on_load=[SessionState.require_user, SessionState.go_home])
def home_page() -> rx.Component:
    return loading_screen()
