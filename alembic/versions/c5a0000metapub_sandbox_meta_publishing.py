"""sandbox: Meta publishing (container states, staged Facebook photos and videos, post media)

Revision ID: c5a0000metapub
Revises: c5a0000hooks05
Create Date: 2026-12-02 00:45:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401


# revision identifiers, used by Alembic.
revision: str = 'c5a0000metapub'
down_revision: Union[str, Sequence[str], None] = 'c5a0000hooks05'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Instagram containers gain their clock-driven state; Facebook's staged photos and processing
    videos get a table; sandbox posts remember what media they hold (publishing.md §1, §2)."""
    op.create_table('sandbox_media',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('tenant', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('owner_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('url', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('caption', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created', sa.Float(), nullable=False),
    sa.Column('ready_at', sa.Float(), nullable=False),
    sa.Column('post_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('failed', sa.Boolean(), nullable=False),
    sa.Column('expires_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_sandbox_media_owner_id'), 'sandbox_media', ['owner_id'], unique=False)
    op.create_index(op.f('ix_sandbox_media_expires_at'), 'sandbox_media', ['expires_at'], unique=False)
    with op.batch_alter_table('sandbox_container', schema=None) as batch_op:
        batch_op.add_column(sa.Column('media_type', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False, server_default='IMAGE'))
        batch_op.add_column(sa.Column('is_carousel_item', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('children', sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('created', sa.Float(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('ready_at', sa.Float(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('error_subcode', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('media_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
        batch_op.add_column(sa.Column('published_at', sa.Float(), nullable=True))
        batch_op.create_index(batch_op.f('ix_sandbox_container_published_at'), ['published_at'], unique=False)
    with op.batch_alter_table('sandbox_post', schema=None) as batch_op:
        batch_op.add_column(sa.Column('media_kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('media_count', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('sandbox_post', schema=None) as batch_op:
        batch_op.drop_column('media_count')
        batch_op.drop_column('media_kind')
    with op.batch_alter_table('sandbox_container', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sandbox_container_published_at'))
        for column in ('published_at', 'media_id', 'error_subcode', 'ready_at', 'created', 'children',
                       'is_carousel_item', 'media_type'):
            batch_op.drop_column(column)
    op.drop_index(op.f('ix_sandbox_media_expires_at'), table_name='sandbox_media')
    op.drop_index(op.f('ix_sandbox_media_owner_id'), table_name='sandbox_media')
    op.drop_table('sandbox_media')
