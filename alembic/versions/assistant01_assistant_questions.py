"""support assistant question budget

Revision ID: assistant01
Revises: c6a0000inbox
Create Date: 2026-12-02 04:40:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import socializioz.models  # noqa: F401  (custom column types such as UTCDateTime)
import sqlmodel  # noqa: F401

revision: str = 'assistant01'
down_revision: Union[str, Sequence[str], None] = 'c6a0000inbox'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """The questions each user asked the support assistant (its hourly budget per user)."""
    op.create_table('assistantquestion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('at', socializioz.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('assistantquestion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assistantquestion_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_assistantquestion_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    """Drops what upgrade added."""
    with op.batch_alter_table('assistantquestion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assistantquestion_user_id'))
        batch_op.drop_index(batch_op.f('ix_assistantquestion_at'))
    op.drop_table('assistantquestion')
