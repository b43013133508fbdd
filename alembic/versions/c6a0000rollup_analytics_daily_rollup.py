"""analytics daily rollup per workspace, platform, day and metric

Revision ID: c6a0000rollup
Revises: assistant01
Create Date: 2026-12-02 04:40:00.000000

"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


# revision identifiers, used by Alembic.
revision: str = 'c6a0000rollup'
down_revision: Union[str, Sequence[str], None] = 'assistant01'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """The rollup the analytics page reads (services/analytics_rollup.py), filled from the days
    already synced for connected accounts (the sync keeps it up to date from here on); and an
    index for the page's counts of published targets per account and period."""
    op.create_table(
        'workspacemetricday',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workspace_id', sa.Integer(), nullable=False),
        sa.Column('platform', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('metric', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('value', sa.Integer(), nullable=False),
        sa.Column('accounts', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('workspace_id', 'day', 'platform', 'metric'),
    )
    with op.batch_alter_table('posttarget', schema=None) as batch_op:
        batch_op.create_index('ix_posttarget_account_published', ['account_id', 'published_at'], unique=False)
    op.execute(
        """
        INSERT INTO workspacemetricday (workspace_id, platform, day, metric, value, accounts)
        SELECT amd.workspace_id, sa.platform, amd.day, amd.metric, SUM(amd.value), COUNT(*)
        FROM accountmetricday AS amd JOIN socialaccount AS sa ON sa.id = amd.account_id
        WHERE sa.disconnected_at IS NULL AND sa.workspace_id = amd.workspace_id
        GROUP BY amd.workspace_id, sa.platform, amd.day, amd.metric
        """
    )


def downgrade() -> None:
    with op.batch_alter_table('posttarget', schema=None) as batch_op:
        batch_op.drop_index('ix_posttarget_account_published')
    op.drop_table('workspacemetricday')
