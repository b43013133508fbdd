"""sandbox state in the database

Revision ID: c3a0000sbox03
Revises: c2a0000auth02
Create Date: 2026-12-01 21:30:00

"""
from typing import Sequence, Union

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401
import socializioz.models  # noqa: F401  (custom column types such as UTCDateTime)
import sqlmodel  # noqa: F401

revision: str = 'c3a0000sbox03'
down_revision: Union[str, Sequence[str], None] = 'c2a0000auth02'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """The sandbox's codes, tokens, content, faults, counters and CSRF tokens (integrations/sandbox/store.py)."""
    op.create_table('sandbox_code',
    sa.Column('value', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('tenant', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('platform', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('client_id', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('redirect_uri', sqlmodel.sql.sqltypes.AutoString(length=512), nullable=False),
    sa.Column('persona_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('scopes', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('page_ids', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('challenge', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
    sa.Column('challenge_method', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('expires_at', sa.Float(), nullable=False),
    sa.Column('used', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('value')
    )
    op.create_index(op.f('ix_sandbox_code_expires_at'), 'sandbox_code', ['expires_at'], unique=False)
    op.create_table('sandbox_comment',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=96), nullable=False),
    sa.Column('tenant', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('post_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('author', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('created', sa.Float(), nullable=False),
    sa.Column('likes', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_sandbox_comment_post_id'), 'sandbox_comment', ['post_id'], unique=False)
    op.create_table('sandbox_container',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('tenant', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('owner_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('image_url', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('caption', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('expires_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_sandbox_container_expires_at'), 'sandbox_container', ['expires_at'], unique=False)
    op.create_table('sandbox_counter',
    sa.Column('bucket', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('bucket')
    )
    op.create_index(op.f('ix_sandbox_counter_expires_at'), 'sandbox_counter', ['expires_at'], unique=False)
    op.create_table('sandbox_csrf',
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('binding', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('expires_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('token_hash')
    )
    op.create_index(op.f('ix_sandbox_csrf_expires_at'), 'sandbox_csrf', ['expires_at'], unique=False)
    op.create_table('sandbox_fault',
    sa.Column('endpoint', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('times', sa.Integer(), nullable=False),
    sa.Column('status', sa.Integer(), nullable=True),
    sa.Column('retry_after', sa.Integer(), nullable=True),
    sa.Column('scope', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
    sa.PrimaryKeyConstraint('endpoint')
    )
    op.create_table('sandbox_meta',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('value', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('sandbox_post',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('tenant', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('platform', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('owner_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('caption', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created', sa.Float(), nullable=False),
    sa.Column('media_url', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('reactions', sa.Integer(), nullable=False),
    sa.Column('shares', sa.Integer(), nullable=False),
    sa.Column('views', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_sandbox_post_owner_id'), 'sandbox_post', ['owner_id'], unique=False)
    op.create_index(op.f('ix_sandbox_post_tenant'), 'sandbox_post', ['tenant'], unique=False)
    op.create_table('sandbox_token',
    sa.Column('value', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('tenant', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('platform', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('persona_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('scopes', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('client_id', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('issued_at', sa.Float(), nullable=False),
    sa.Column('expires_at', sa.Float(), nullable=True),
    sa.Column('page_ids', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('page_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('parent', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
    sa.Column('family', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('revoked', sa.Boolean(), nullable=False),
    sa.Column('used', sa.Boolean(), nullable=False),
    sa.Column('purge_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('value')
    )
    op.create_index(op.f('ix_sandbox_token_family'), 'sandbox_token', ['family'], unique=False)
    op.create_index(op.f('ix_sandbox_token_parent'), 'sandbox_token', ['parent'], unique=False)
    op.create_index(op.f('ix_sandbox_token_persona_id'), 'sandbox_token', ['persona_id'], unique=False)
    op.create_index(op.f('ix_sandbox_token_purge_at'), 'sandbox_token', ['purge_at'], unique=False)
    op.create_index(op.f('ix_sandbox_token_tenant'), 'sandbox_token', ['tenant'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_sandbox_token_tenant'), table_name='sandbox_token')
    op.drop_index(op.f('ix_sandbox_token_purge_at'), table_name='sandbox_token')
    op.drop_index(op.f('ix_sandbox_token_persona_id'), table_name='sandbox_token')
    op.drop_index(op.f('ix_sandbox_token_parent'), table_name='sandbox_token')
    op.drop_index(op.f('ix_sandbox_token_family'), table_name='sandbox_token')
    op.drop_table('sandbox_token')
    op.drop_index(op.f('ix_sandbox_post_tenant'), table_name='sandbox_post')
    op.drop_index(op.f('ix_sandbox_post_owner_id'), table_name='sandbox_post')
    op.drop_table('sandbox_post')
    op.drop_table('sandbox_meta')
    op.drop_table('sandbox_fault')
    op.drop_index(op.f('ix_sandbox_csrf_expires_at'), table_name='sandbox_csrf')
    op.drop_table('sandbox_csrf')
    op.drop_index(op.f('ix_sandbox_counter_expires_at'), table_name='sandbox_counter')
    op.drop_table('sandbox_counter')
    op.drop_index(op.f('ix_sandbox_container_expires_at'), table_name='sandbox_container')
    op.drop_table('sandbox_container')
    op.drop_index(op.f('ix_sandbox_comment_post_id'), table_name='sandbox_comment')
    op.drop_table('sandbox_comment')
    op.drop_index(op.f('ix_sandbox_code_expires_at'), table_name='sandbox_code')
    op.drop_table('sandbox_code')
