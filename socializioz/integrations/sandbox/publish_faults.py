"""Publishing faults that act inside the platform's processing rather than on one HTTP answer.

``<platform>.processing`` armed with ``media_rejected`` or ``processing_failed`` (control API
``POST /_control/faults``) is consumed by the next media or publish task the platform creates:
that task then ends in the platform's own failure state (TikTok ``FAILED`` with a fail_reason,
X ``processing_info.state = failed``, LinkedIn ``PROCESSING_FAILED``). ``timeout_after_create``
on any publishing endpoint is handled in ``app.py``: the handler runs, then the answer is lost.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from . import uploads
from .state import SandboxState, use_tenant
from .store import SandboxUpload

PROCESSING_FAULTS = frozenset({"media_rejected", "processing_failed"})


def processing_fault(st: SandboxState, platform: str) -> str | None:
    """The processing fault armed for exactly this platform (never a ``<platform>.*`` one), used once."""
    fault = st.take_fault(f"{platform}.processing", wildcard=False)
    return fault.kind if fault and fault.kind in PROCESSING_FAULTS else None


def in_flight(st: SandboxState) -> list[dict[str, Any]]:
    """Every publishing object of every tenant with its state now (control API, for tests)."""
    from . import linkedin_publishing, tiktok_publishing, x_publishing  # late: they import this module

    with st.session() as s:
        rows = s.exec(select(SandboxUpload).order_by(col(SandboxUpload.created))).all()
    out: list[dict[str, Any]] = []
    for row in rows:
        item = uploads.as_upload(row)
        state: object = None
        use_tenant(row.tenant)
        if row.kind == tiktok_publishing.KIND:
            state = tiktok_publishing.task_status(st, item)["status"]
        elif row.kind == x_publishing.MEDIA and item.data["finalized_at"] is not None:
            state = (x_publishing.processing_info(st, item) or {"state": "succeeded"})["state"]
        elif row.kind in (linkedin_publishing.IMAGE, linkedin_publishing.VIDEO):
            state = linkedin_publishing.asset_status(st, item)[0]
        out.append({"id": row.id, "platform": row.platform, "kind": row.kind, "owner_id": row.owner_id, "state": state})
    use_tenant("")
    return out
