"""The time as a platform sees it, for rules the platform enforces on its own clock (the Instagram
messaging window): the system clock for a real platform; for one running on the sandbox mounted in
this process, the sandbox's clock, which tests move forward ("time travel").

Honest for both: Meta's servers keep real time, so against Meta this is the system clock; against
the sandbox the app explains exactly what the sandbox will enforce. The sandbox clock is per process
(integrations/sandbox/__init__.py), so with several workers each worker's mounted sandbox keeps its own.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from .clock import Clock
from .factory import uses_sandbox

_sandbox_clock: Clock | None = None


def use_sandbox_clock(clock: Clock | None) -> None:
    """The mounted sandbox registers its clock (``web/sandbox_routes.py``); None forgets it."""
    global _sandbox_clock
    _sandbox_clock = clock


def platform_now(platform: str) -> datetime:
    clock = _sandbox_clock if _sandbox_clock is not None and uses_sandbox(platform) else None
    return datetime.fromtimestamp(clock.now() if clock is not None else time.time(), tz=UTC)
