"""synced posts (account details panel)

Revision ID: b7d2e41f9a10
Revises: 4633172aecdb
Create Date: 2026-11-29 10:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import socializioz.models  # noqa: F401  (custom column types such as UTCDateTime)
import sqlmodel

revision: str = 'b7d2e41f9a10'
down_revision: Union[str, Sequence[str], None] = '4633172aecdb'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('syncedpost',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('external_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('caption', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('media_url', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('permalink', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('published_at', socializioz.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reactions', sa.Integer(), nullable=False),
    sa.Column('comments', sa.Integer(), nullable=False),
    sa.Column('shares', sa.Integer(), nullable=False),
    sa.Column('comment_preview', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('synced_at', socializioz.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['socialaccount.id'], ),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('account_id', 'external_id')
    )
    with op.batch_alter_table('syncedpost', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_syncedpost_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_syncedpost_workspace_id'), ['workspace_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('syncedpost', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_syncedpost_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_syncedpost_account_id'))
    op.drop_table('syncedpost')
