"""comment management: who may moderate, sandbox comment threads and moderation

Revision ID: c6a0000comments
Revises: c6a0000rollup
Create Date: 2026-12-02 04:40:00.000000

"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


# revision identifiers, used by Alembic.
revision: str = 'c6a0000comments'
down_revision: Union[str, Sequence[str], None] = 'c6a0000rollup'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """The workspace's moderation setting; a sandbox comment's parent and author id; the
    sandbox's per-tenant moderation state of a comment."""
    with op.batch_alter_table('workspace', schema=None) as batch_op:
        batch_op.add_column(sa.Column('members_may_moderate', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('engagementcomment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('liked', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('sandbox_comment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent_id', sqlmodel.sql.sqltypes.AutoString(length=96), nullable=True))
        batch_op.add_column(
            sa.Column('author_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False, server_default='')
        )
    op.create_table(
        'sandbox_moderation',
        sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=170), nullable=False),
        sa.Column('tenant', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('comment_id', sqlmodel.sql.sqltypes.AutoString(length=96), nullable=False),
        sa.Column('hidden', sa.Boolean(), nullable=False),
        sa.Column('deleted', sa.Boolean(), nullable=False),
        sa.Column('liked', sa.Boolean(), nullable=False),
        sa.Column('updated', sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint('key'),
    )
    op.create_index(op.f('ix_sandbox_moderation_comment_id'), 'sandbox_moderation', ['comment_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_sandbox_moderation_comment_id'), table_name='sandbox_moderation')
    op.drop_table('sandbox_moderation')
    with op.batch_alter_table('sandbox_comment', schema=None) as batch_op:
        batch_op.drop_column('author_id')
        batch_op.drop_column('parent_id')
    with op.batch_alter_table('engagementcomment', schema=None) as batch_op:
        batch_op.drop_column('liked')
    with op.batch_alter_table('workspace', schema=None) as batch_op:
        batch_op.drop_column('members_may_moderate')
