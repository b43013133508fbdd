"""onboarding step and launch notifications

Revision ID: c5a0000specgaps
Revises: c5a0000anback
Create Date: 2026-12-02 00:45:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import socializioz.models  # noqa: F401  (custom column types such as UTCDateTime)
import sqlmodel  # noqa: F401

revision: str = 'c5a0000specgaps'
down_revision: Union[str, Sequence[str], None] = 'c5a0000anback'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """The set-up wizard's step per user (existing users have finished: 0), and who asked to hear
    when a coming-soon platform launches."""
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('onboarding_step', sa.Integer(), nullable=False, server_default='0'))
    op.create_table('notifyrequest',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('platform', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('created_at', socializioz.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'platform')
    )
    with op.batch_alter_table('notifyrequest', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifyrequest_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    """Drops what upgrade added."""
    with op.batch_alter_table('notifyrequest', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notifyrequest_user_id'))
    op.drop_table('notifyrequest')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('onboarding_step')
