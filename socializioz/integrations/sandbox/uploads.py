"""Publishing objects in flight (``store.SandboxUpload``): create, read, change, settle once.

A TikTok publish task, an X media upload and a LinkedIn image or video each keep their facts as a
JSON dict; processing states are computed from those facts and the sandbox clock on every read,
so nothing runs in the background and every worker agrees. Reads are scoped to the current
tenant, like the rest of the sandbox's content.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select, update

from .state import SandboxState, current_tenant
from .store import SandboxUpload

UPLOAD_TTL = 2 * 86400  # X media ids live ~24 h; tasks older than this are of no use


@dataclass
class Upload:
    id: str
    kind: str
    owner_id: str
    created: float
    data: dict[str, Any]
    settled: bool = False
    tenant: str = ""


def new_number(digits: int = 19) -> str:
    return str(secrets.randbelow(9 * 10 ** (digits - 1)) + 10 ** (digits - 1))


def create(st: SandboxState, platform: str, kind: str, owner_id: str, data: dict[str, Any], upload_id: str) -> Upload:
    now = st.now()
    with st.session() as s:
        s.add(
            SandboxUpload(
                id=upload_id,
                tenant=current_tenant(),
                platform=platform,
                kind=kind,
                owner_id=owner_id,
                data=json.dumps(data),
                created=now,
                expires_at=now + UPLOAD_TTL,
            )
        )
        s.commit()
    return Upload(upload_id, kind, owner_id, now, data, tenant=current_tenant())


def as_upload(row: SandboxUpload) -> Upload:
    return Upload(row.id, row.kind, row.owner_id, row.created, json.loads(row.data), row.settled, row.tenant)


def get(st: SandboxState, upload_id: str, kind: str, *, any_tenant: bool = False) -> Upload | None:
    """This tenant's object of that kind, or None (unknown ids and other tenants' look the same).
    ``any_tenant``: for upload URLs, whose own token is the credential (the caller then acts in
    the object's tenant)."""
    if not upload_id or len(upload_id) > 96:
        return None
    with st.session() as s:
        row = s.get(SandboxUpload, upload_id)
    if row is None or row.kind != kind or (row.tenant != current_tenant() and not any_tenant):
        return None
    return as_upload(row)


def of_owner(st: SandboxState, owner_id: str, kind: str, since: float) -> list[Upload]:
    with st.session() as s:
        rows = s.exec(
            select(SandboxUpload).where(
                SandboxUpload.owner_id == owner_id,
                SandboxUpload.kind == kind,
                col(SandboxUpload.created) >= since,
                col(SandboxUpload.tenant) == current_tenant(),
            )
        ).all()
    return [as_upload(r) for r in rows]


def save(st: SandboxState, upload: Upload) -> None:
    with st.session() as s:
        s.exec(update(SandboxUpload).where(col(SandboxUpload.id) == upload.id).values(data=json.dumps(upload.data)))
        s.commit()


def settle(st: SandboxState, upload: Upload) -> bool:
    """True for the one caller that marks it settled (its post joins the feed exactly once)."""
    with st.session() as s:
        won = s.exec(
            update(SandboxUpload)
            .where(col(SandboxUpload.id) == upload.id, col(SandboxUpload.settled) == sa.false())
            .values(settled=True)
        ).rowcount
        s.commit()
    upload.settled = True
    return bool(won)
