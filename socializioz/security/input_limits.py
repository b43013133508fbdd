"""Length caps for every user input and a linear-time e-mail check (``services.input_caps`` applies them).

Caps are applied before any parsing, so no input can make a check (or argon2) slow; the e-mail
check walks the string once and never backtracks (pen-test finding 2: a backtracking regex on a
40 KB sign-up froze the event loop for 16 s).
"""

from __future__ import annotations

MAX_EMAIL = 254  # RFC 5321 path limit
MAX_EMAIL_LOCAL = 64
MAX_NAME = 200
MAX_PASSWORD = 1024
MAX_QUESTION = 2000


def is_valid_email(email: str) -> bool:
    """One ``@``, a local part of 1–64 characters, a dotted domain with no empty label, no spaces."""
    if not email or len(email) > MAX_EMAIL or any(c.isspace() for c in email):
        return False
    local, at, domain = email.partition("@")
    if not at or "@" in domain or not local or len(local) > MAX_EMAIL_LOCAL:
        return False
    labels = domain.split(".")
    return len(labels) >= 2 and all(labels)
