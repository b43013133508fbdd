"""live tabs (per-tab push registry)

Revision ID: c1a0000live01
Revises: b7d2e41f9a10
Create Date: 2026-12-01 21:30:00

"""
from typing import Sequence, Union

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401
import socializioz.models  # noqa: F401  (custom column types such as UTCDateTime)
import sqlmodel  # noqa: F401

revision: str = 'c1a0000live01'
down_revision: Union[str, Sequence[str], None] = 'b7d2e41f9a10'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "livetab",
        sa.Column("client_token", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("session_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("last_seen", socializioz.models.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"]),
        sa.PrimaryKeyConstraint("client_token"),
    )
    with op.batch_alter_table("livetab", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_livetab_last_seen"), ["last_seen"], unique=False)
        batch_op.create_index(batch_op.f("ix_livetab_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_livetab_workspace_id"), ["workspace_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("livetab", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_livetab_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_livetab_user_id"))
        batch_op.drop_index(batch_op.f("ix_livetab_last_seen"))
    op.drop_table("livetab")
