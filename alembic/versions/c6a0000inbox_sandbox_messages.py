"""sandbox Instagram direct messages (the inbox's emulated conversations and Send API)

Revision ID: c6a0000inbox
Revises: c5a0000anui
Create Date: 2026-12-03 00:00:00

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

revision: str = "c6a0000inbox"
down_revision: Union[str, Sequence[str], None] = "c5a0000anui"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """``sandbox_message`` (integrations/sandbox/store.py: SandboxMessage)."""
    op.create_table(
        "sandbox_message",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=96), nullable=False),
        sa.Column("tenant", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("account_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("participant_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("participant_name", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("inbound", sa.Boolean(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("attachment_url", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("tag", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created", sa.Float(), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_sandbox_message_account_id"), "sandbox_message", ["account_id"], unique=False)
    op.create_index(op.f("ix_sandbox_message_expires_at"), "sandbox_message", ["expires_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_sandbox_message_expires_at"), table_name="sandbox_message")
    op.drop_index(op.f("ix_sandbox_message_account_id"), table_name="sandbox_message")
    op.drop_table("sandbox_message")
