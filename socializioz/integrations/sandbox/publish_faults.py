"""Publishing faults that act inside the platform's processing rather than on one HTTP answer.

``<platform>.processing`` armed with ``media_rejected`` or ``processing_failed`` (control API
``POST /_control/faults``) is consumed by the next media or publish task the platform creates:
that task then ends in the platform's own failure state (TikTok ``FAILED`` with a fail_reason,
X ``processing_info.state = failed``, LinkedIn ``PROCESSING_FAILED``). ``timeout_after_create``
on any publishing endpoint is handled in ``app.py``: the handler runs, then the answer is lost.
"""

from __future__ import annotations

from .state import SandboxState

PROCESSING_FAULTS = frozenset({"media_rejected", "processing_failed"})


def processing_fault(st: SandboxState, platform: str) -> str | None:
    """The processing fault armed for exactly this platform (never a ``<platform>.*`` one), used once."""
    fault = st.take_fault(f"{platform}.processing", wildcard=False)
    return fault.kind if fault and fault.kind in PROCESSING_FAULTS else None
