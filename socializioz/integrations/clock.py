"""The clock every lifetime computation reads, injectable so tests can cross 1 h / 24 h / 60 d."""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds since the epoch."""


class SystemClock:
    def now(self) -> float:
        return time.time()
