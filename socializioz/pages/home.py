"""``/`` sends a signed-in user to Connections (and anyone else to sign in, via require_user)."""

import reflex as rx

from socializioz import routes
from socializioz.components.layout import loading_screen
from socializioz.state.session import SessionState


@rx.page(route=routes.HOME, title="Socializioz", on_load=[SessionState.require_user, rx.redirect(routes.CONNECTIONS)])
def home_page() -> rx.Component:
    return loading_screen()
