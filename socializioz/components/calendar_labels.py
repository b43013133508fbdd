"""Day and month names from the catalogue, so dates read naturally in English and Arabic; the
numbers come from the read model, already in the workspace's time zone."""

import reflex as rx

from socializioz.components.text import t_var

WEEKDAY_KEYS = (
    "posts.weekday.mon",
    "posts.weekday.tue",
    "posts.weekday.wed",
    "posts.weekday.thu",
    "posts.weekday.fri",
    "posts.weekday.sat",
    "posts.weekday.sun",
)
MONTH_KEYS = (
    "posts.month.jan",
    "posts.month.feb",
    "posts.month.mar",
    "posts.month.apr",
    "posts.month.may",
    "posts.month.jun",
    "posts.month.jul",
    "posts.month.aug",
    "posts.month.sep",
    "posts.month.oct",
    "posts.month.nov",
    "posts.month.dec",
)


def weekday_name(weekday: rx.Var) -> rx.Var:
    """0 Monday … 6 Sunday."""
    return t_var(rx.Var.create(list(WEEKDAY_KEYS))[weekday.to(int)])


def month_name(month: rx.Var) -> rx.Var:
    """1 January … 12 December."""
    return t_var(rx.Var.create(list(MONTH_KEYS))[month.to(int) - 1])


def date_label(weekday: rx.Var, day: rx.Var, month: rx.Var) -> rx.Var:
    """ "Tue 10 Mar" (in the reader's language)."""
    return weekday_name(weekday).to(str) + " " + day.to_string() + " " + month_name(month).to(str)
