"""analytics page flat in the account count: latest counters per post, published counts per
quarter hour, each account's span of days, and indexes for pages of accounts

Revision ID: c7a0000anflat
Revises: c6a0000comments
Create Date: 2026-12-02 13:20:00.000000

"""
from collections import Counter
from datetime import UTC, datetime
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

from socializioz.models import UTCDateTime

# revision identifiers, used by Alembic.
revision: str = 'c7a0000anflat'
down_revision: Union[str, Sequence[str], None] = 'c6a0000comments'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _slot(moment: datetime) -> datetime:
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.replace(minute=moment.minute - moment.minute % 15, second=0, microsecond=0)


def upgrade() -> None:
    """The tables the analytics page reads instead of a period's snapshots and targets
    (services/analytics_view.py), filled from what is already stored."""
    op.create_table(
        'postmetriclatest',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workspace_id', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('external_id', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column('post_target_id', sa.Integer(), nullable=True),
        sa.Column('published_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('caption', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('permalink', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('thumbnail_url', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('likes', sa.Integer(), nullable=False),
        sa.Column('comments', sa.Integer(), nullable=False),
        sa.Column('shares', sa.Integer(), nullable=False),
        sa.Column('views', sa.Integer(), nullable=False),
        sa.Column('saves', sa.Integer(), nullable=False),
        sa.Column('engagement', sa.Integer(), nullable=False),
        sa.Column('synced_at', UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['socialaccount.id'], ),
        sa.ForeignKeyConstraint(['post_target_id'], ['posttarget.id'], ),
        sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('account_id', 'external_id'),
    )
    with op.batch_alter_table('postmetriclatest', schema=None) as batch_op:
        for name in ('engagement', 'likes', 'comments', 'shares', 'views'):
            batch_op.create_index(f'ix_postlatest_ws_{name}', ['workspace_id', name], unique=False)
        batch_op.create_index('ix_postlatest_ws_published', ['workspace_id', 'published_at'], unique=False)
        batch_op.create_index('ix_postlatest_account_published', ['account_id', 'published_at'], unique=False)
    op.create_table(
        'publishedcount',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workspace_id', sa.Integer(), nullable=False),
        sa.Column('platform', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('slot', UTCDateTime(timezone=True), nullable=False),
        sa.Column('posts', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('workspace_id', 'slot', 'platform'),
    )
    with op.batch_alter_table('analyticsstate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('data_from', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('data_until', sa.Date(), nullable=True))
    with op.batch_alter_table('accountmetricday', schema=None) as batch_op:
        batch_op.drop_index('ix_accountmetricday_account_id')
        batch_op.create_index(
            'ix_accountmetricday_account_cover', ['account_id', 'day', 'metric', 'value'], unique=False
        )
    with op.batch_alter_table('socialaccount', schema=None) as batch_op:
        batch_op.create_index(
            'ix_socialaccount_ws_platform_name', ['workspace_id', 'platform', 'name', 'id'], unique=False
        )

    # Each post's latest snapshot (none newer of the same post).
    op.execute(
        """
        INSERT INTO postmetriclatest (workspace_id, account_id, external_id, post_target_id, published_at,
            caption, permalink, thumbnail_url, likes, comments, shares, views, saves, engagement, synced_at)
        SELECT s.workspace_id, s.account_id, s.external_id, s.post_target_id, s.published_at,
            s.caption, s.permalink, s.thumbnail_url, s.likes, s.comments, s.shares, s.views, s.saves,
            s.likes + s.comments + s.shares + s.saves, s.synced_at
        FROM postmetricsnapshot AS s
        WHERE NOT EXISTS (
            SELECT 1 FROM postmetricsnapshot AS n
            WHERE n.account_id = s.account_id AND n.external_id = s.external_id
              AND (n.synced_at > s.synced_at OR (n.synced_at = s.synced_at AND n.id > s.id))
        )
        """
    )
    op.execute(
        """
        UPDATE analyticsstate SET
            data_from = (SELECT MIN(day) FROM accountmetricday WHERE account_id = analyticsstate.account_id),
            data_until = (SELECT MAX(day) FROM accountmetricday WHERE account_id = analyticsstate.account_id)
        """
    )
    # Published targets per workspace, platform and quarter hour (read in Python: the quarter hour
    # of a timestamp is written differently in every dialect).
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT a.workspace_id, a.platform, t.published_at FROM posttarget AS t "
            "JOIN socialaccount AS a ON a.id = t.account_id "
            "WHERE t.status = 'published' AND t.published_at IS NOT NULL"
        ).columns(sa.column('workspace_id'), sa.column('platform'), sa.column('published_at', UTCDateTime(timezone=True)))
    )
    counted = Counter((w, p, _slot(at)) for w, p, at in rows)
    if counted:
        table = sa.table(
            'publishedcount',
            sa.column('workspace_id'), sa.column('platform'), sa.column('slot', UTCDateTime(timezone=True)), sa.column('posts'),
        )
        op.bulk_insert(
            table,
            [{'workspace_id': w, 'platform': p, 'slot': s, 'posts': n} for (w, p, s), n in counted.items()],
        )


def downgrade() -> None:
    with op.batch_alter_table('socialaccount', schema=None) as batch_op:
        batch_op.drop_index('ix_socialaccount_ws_platform_name')
    with op.batch_alter_table('accountmetricday', schema=None) as batch_op:
        batch_op.drop_index('ix_accountmetricday_account_cover')
        batch_op.create_index('ix_accountmetricday_account_id', ['account_id'], unique=False)
    with op.batch_alter_table('analyticsstate', schema=None) as batch_op:
        batch_op.drop_column('data_until')
        batch_op.drop_column('data_from')
    op.drop_table('publishedcount')
    op.drop_table('postmetriclatest')
