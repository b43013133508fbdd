"""analytics page read indexes

Revision ID: c5a0000anui
Revises: c5a0000specgaps
Create Date: 2026-12-02 01:25:00.000000

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = 'c5a0000anui'
down_revision: Union[str, Sequence[str], None] = 'c5a0000specgaps'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """A covering index for the analytics page's aggregates over a workspace's days, and the
    posts published in a period (benchmarks/analytics/page_build.py)."""
    with op.batch_alter_table('accountmetricday', schema=None) as batch_op:
        batch_op.create_index(
            'ix_accountmetricday_ws_day_cover', ['workspace_id', 'day', 'metric', 'account_id', 'value'], unique=False
        )
    with op.batch_alter_table('postmetricsnapshot', schema=None) as batch_op:
        batch_op.create_index('ix_postmetric_ws_published', ['workspace_id', 'published_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('postmetricsnapshot', schema=None) as batch_op:
        batch_op.drop_index('ix_postmetric_ws_published')
    with op.batch_alter_table('accountmetricday', schema=None) as batch_op:
        batch_op.drop_index('ix_accountmetricday_ws_day_cover')
