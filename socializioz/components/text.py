"""``t("key")``: a catalogue message as a reactive var, re-rendered when the language changes."""

import reflex as rx

from socializioz.state.session import SessionState


def t(key: str) -> rx.Var:
    return SessionState.messages[key]


def t_var(key: rx.Var) -> rx.Var:
    """A message whose key is itself a var (e.g. a plan or role name from state)."""
    return SessionState.messages[key]
