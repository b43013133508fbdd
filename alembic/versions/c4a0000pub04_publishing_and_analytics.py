"""publishing and analytics

Revision ID: c4a0000pub04
Revises: c3a0000sbox03
Create Date: 2026-12-02 00:31:16.610317

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import socializioz.models  # noqa: F401  (custom column types such as UTCDateTime)
import sqlmodel  # noqa: F401


# revision identifiers, used by Alembic.
revision: str = 'c4a0000pub04'
down_revision: Union[str, Sequence[str], None] = 'c3a0000sbox03'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Publishing (per-target status and lease, media, campaigns, the workspace time zone) and
    analytics (daily account metrics, post snapshots, per-account sync state)."""
    op.create_table('accountmetricday',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('metric', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('synced_at', socializioz.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['socialaccount.id'], ),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('account_id', 'day', 'metric')
    )
    with op.batch_alter_table('accountmetricday', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accountmetricday_account_id'), ['account_id'], unique=False)
        batch_op.create_index('ix_accountmetricday_ws_day', ['workspace_id', 'day'], unique=False)

    op.create_table('analyticsstate',
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('last_synced_at', socializioz.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('backfilled_until', sa.Date(), nullable=True),
    sa.Column('problem_code', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('problem_scope', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['socialaccount.id'], ),
    sa.PrimaryKeyConstraint('account_id')
    )
    op.create_table('mediaasset',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_by', sa.Integer(), nullable=False),
    sa.Column('token', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('storage_key', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('mime_type', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('duration_seconds', sa.Float(), nullable=True),
    sa.Column('created_at', socializioz.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['uploaded_by'], ['user.id'], ),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('mediaasset', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mediaasset_token'), ['token'], unique=True)
        batch_op.create_index(batch_op.f('ix_mediaasset_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('postmetricsnapshot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('external_id', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('post_target_id', sa.Integer(), nullable=True),
    sa.Column('published_at', socializioz.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('caption', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('permalink', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('thumbnail_url', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('likes', sa.Integer(), nullable=False),
    sa.Column('comments', sa.Integer(), nullable=False),
    sa.Column('shares', sa.Integer(), nullable=False),
    sa.Column('views', sa.Integer(), nullable=False),
    sa.Column('saves', sa.Integer(), nullable=False),
    sa.Column('synced_at', socializioz.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['socialaccount.id'], ),
    sa.ForeignKeyConstraint(['post_target_id'], ['posttarget.id'], ),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('postmetricsnapshot', schema=None) as batch_op:
        batch_op.create_index('ix_postmetric_account_post', ['account_id', 'external_id', 'synced_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_postmetricsnapshot_workspace_id'), ['workspace_id'], unique=False)

    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.add_column(sa.Column('created_at', socializioz.models.UTCDateTime(timezone=True), nullable=False, server_default=sa.text('CURRENT_TIMESTAMP')))

    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.add_column(sa.Column('campaign_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('media_ids', sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('options', sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default='{}'))
        batch_op.create_index(batch_op.f('ix_post_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_post_scheduled_at'), ['scheduled_at'], unique=False)
        batch_op.create_foreign_key('fk_post_campaign_id', 'campaign', ['campaign_id'], ['id'])

    with op.batch_alter_table('posttarget', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default='scheduled'))
        batch_op.add_column(sa.Column('due_at', socializioz.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('lease_holder', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column('lease_until', socializioz.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('attempt_started_at', socializioz.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('external_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column('permalink', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column('failure_code', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column('failure_detail', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column('published_at', socializioz.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('handles', sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default='{}'))
        batch_op.add_column(sa.Column('updated_at', socializioz.models.UTCDateTime(timezone=True), nullable=False, server_default=sa.text('CURRENT_TIMESTAMP')))
        batch_op.create_index('ix_posttarget_due', ['status', 'due_at'], unique=False)

    with op.batch_alter_table('workspace', schema=None) as batch_op:
        batch_op.add_column(sa.Column('timezone', sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default='UTC'))

    # Targets of posts saved before the publisher existed are due at their post's time.
    op.execute(
        "UPDATE posttarget SET due_at = (SELECT post.scheduled_at FROM post WHERE post.id = posttarget.post_id)"
    )


def downgrade() -> None:
    """Drops what upgrade added."""
    with op.batch_alter_table('workspace', schema=None) as batch_op:
        batch_op.drop_column('timezone')

    with op.batch_alter_table('posttarget', schema=None) as batch_op:
        batch_op.drop_index('ix_posttarget_due')
        batch_op.drop_column('updated_at')
        batch_op.drop_column('handles')
        batch_op.drop_column('published_at')
        batch_op.drop_column('failure_detail')
        batch_op.drop_column('failure_code')
        batch_op.drop_column('permalink')
        batch_op.drop_column('external_id')
        batch_op.drop_column('attempt_started_at')
        batch_op.drop_column('lease_until')
        batch_op.drop_column('lease_holder')
        batch_op.drop_column('attempts')
        batch_op.drop_column('due_at')
        batch_op.drop_column('status')

    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.drop_constraint('fk_post_campaign_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_post_scheduled_at'))
        batch_op.drop_index(batch_op.f('ix_post_campaign_id'))
        batch_op.drop_column('options')
        batch_op.drop_column('media_ids')
        batch_op.drop_column('campaign_id')

    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.drop_column('created_at')

    with op.batch_alter_table('postmetricsnapshot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_postmetricsnapshot_workspace_id'))
        batch_op.drop_index('ix_postmetric_account_post')

    op.drop_table('postmetricsnapshot')
    with op.batch_alter_table('mediaasset', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mediaasset_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_mediaasset_token'))

    op.drop_table('mediaasset')
    op.drop_table('analyticsstate')
    with op.batch_alter_table('accountmetricday', schema=None) as batch_op:
        batch_op.drop_index('ix_accountmetricday_ws_day')
        batch_op.drop_index(batch_op.f('ix_accountmetricday_account_id'))

    op.drop_table('accountmetricday')
