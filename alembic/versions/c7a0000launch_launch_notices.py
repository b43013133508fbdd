"""launch notices: when a "Notify me" request's in-app notice was delivered

Revision ID: c7a0000launch
Revises: c7a0000anflat
Create Date: 2026-12-02 13:00:00.000000

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

import socializioz.models  # noqa: F401  (custom column types such as UTCDateTime)


# revision identifiers, used by Alembic.
revision: str = 'c7a0000launch'
down_revision: Union[str, Sequence[str], None] = 'c7a0000anflat'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """When the person dismissed the launch notice or used its Connect action; existing requests
    have not been notified (NULL)."""
    with op.batch_alter_table('notifyrequest', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notified_at', socializioz.models.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Drops what upgrade added."""
    with op.batch_alter_table('notifyrequest', schema=None) as batch_op:
        batch_op.drop_column('notified_at')
