"""The sandbox's clock: real time plus an offset that tests move forward."""

from __future__ import annotations

import threading
import time


class SandboxClock:
    def __init__(self, start: float | None = None) -> None:
        self._lock = threading.Lock()
        self._offset = 0.0 if start is None else start - time.time()

    def now(self) -> float:
        with self._lock:
            return time.time() + self._offset

    def advance(self, seconds: float) -> float:
        with self._lock:
            self._offset += seconds
        return self.now()

    def set(self, epoch: float) -> None:
        with self._lock:
            self._offset = epoch - time.time()
