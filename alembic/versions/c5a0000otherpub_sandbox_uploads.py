"""sandbox publishing objects in flight (TikTok publish tasks, X media, LinkedIn images and videos)

Revision ID: c5a0000otherpub
Revises: c5a0000metapub
Create Date: 2026-12-02 00:40:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

revision: str = 'c5a0000otherpub'
down_revision: Union[str, Sequence[str], None] = 'c5a0000metapub'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """``sandbox_upload`` (integrations/sandbox/store.py: SandboxUpload)."""
    op.create_table('sandbox_upload',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=96), nullable=False),
    sa.Column('tenant', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('platform', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('owner_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('data', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created', sa.Float(), nullable=False),
    sa.Column('settled', sa.Boolean(), nullable=False),
    sa.Column('expires_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_sandbox_upload_owner_id'), 'sandbox_upload', ['owner_id'], unique=False)
    op.create_index(op.f('ix_sandbox_upload_expires_at'), 'sandbox_upload', ['expires_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_sandbox_upload_expires_at'), table_name='sandbox_upload')
    op.drop_index(op.f('ix_sandbox_upload_owner_id'), table_name='sandbox_upload')
    op.drop_table('sandbox_upload')
