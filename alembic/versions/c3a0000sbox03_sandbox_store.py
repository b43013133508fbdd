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
    pass


def downgrade() -> None:
    pass
