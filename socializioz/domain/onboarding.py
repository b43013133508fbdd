"""The set-up wizard a new user meets after signing up: which steps, in which order.

Step 1 names the workspace and picks its time zone and the language; step 2 connects a first
account (the spec's "Connections during onboarding"); step 3 says what to do next. The step a user
is on is stored, so signing out or an OAuth redirect resumes it; ``FINISHED`` (0) means the wizard
is done or was skipped, and the user lands on Connections (with the guided tour) instead.
"""

from __future__ import annotations

WORKSPACE = 1
CONNECT = 2
DONE = 3
STEPS = (WORKSPACE, CONNECT, DONE)
FINISHED = 0


def clamp(step: object) -> int:
    """A step number the wizard can show (from a query string or a stored row); anything else is step 1."""
    try:
        number = int(str(step))
    except ValueError:
        return WORKSPACE
    return number if number in STEPS else WORKSPACE


def is_pending(stored_step: int) -> bool:
    return stored_step in STEPS
