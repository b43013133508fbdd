"""What the control API shows of publishing: every object in flight and its state now."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from . import linkedin_publishing, tiktok_publishing, uploads, x_publishing
from .state import SandboxState, use_tenant
from .store import SandboxUpload


def in_flight(st: SandboxState) -> list[dict[str, Any]]:
    """Every publishing object of every tenant with its state now (control API, for tests)."""
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
