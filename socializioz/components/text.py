"""``t("key")``: a catalogue message as a reactive var, re-rendered when the language changes;
``number(value)``: a count with the language's thousands separators; ``isolated``: text whose own
direction must not follow the page's (handles, e-mails, URLs, codes in Arabic)."""

import reflex as rx
from reflex.vars import StringVar
from reflex.vars.function import FunctionStringVar

from socializioz.state.session import SessionState


def t(key: str) -> rx.Var:
    return SessionState.messages[key]


def t_var(key: rx.Var) -> rx.Var:
    """A message whose key is itself a var (e.g. a plan or role name from state)."""
    return SessionState.messages[key]


# Arabic keeps the Latin digits the rest of the interface uses, with Arabic grouping.
_FORMAT_NUMBER: FunctionStringVar = FunctionStringVar.create(
    "((n, lang) => (Number(n) || 0).toLocaleString(lang === 'ar' ? 'ar-u-nu-latn' : 'en-US'))"
)


def number(value: rx.Var) -> StringVar:
    """A count formatted for the user's language ("2,400"), re-rendered when it changes."""
    return _FORMAT_NUMBER.call(value, SessionState.lang).to(str)


def isolated(content: rx.Var | str, **props) -> rx.Component:
    """``<bdi>``: a handle, e-mail, URL or code keeps its own direction inside Arabic text, so
    "@acme_studio" is not shown as "acme_studio@"."""
    return rx.el.bdi(content, **props)


def isolated_in_text(value: rx.Var | str) -> rx.Var:
    """A name placed inside a translated sentence, isolated (U+2068 … U+2069, what ``<bdi>`` does)
    in right-to-left languages, so "Test User." does not become ".Test User"."""
    rtl = SessionState.text_direction == "rtl"
    return rx.cond(rtl, "\u2068", "").to(str) + rx.Var.create(value).to(str) + rx.cond(rtl, "\u2069", "").to(str)
