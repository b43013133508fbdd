"""post snapshots: an index on synced_at for the retention prune

Revision ID: c5a0000anback
Revises: c5a0000otherpub
Create Date: 2026-12-02 01:40:00

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = 'c5a0000anback'
down_revision: Union[str, Sequence[str], None] = 'c5a0000otherpub'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """A snapshot per post per sync adds up to millions of rows a year: the hourly prune of those
    past retention (``services.analytics_store.prune``) must find them without a full scan."""
    with op.batch_alter_table('postmetricsnapshot', schema=None) as batch_op:
        batch_op.create_index('ix_postmetric_synced_at', ['synced_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('postmetricsnapshot', schema=None) as batch_op:
        batch_op.drop_index('ix_postmetric_synced_at')
