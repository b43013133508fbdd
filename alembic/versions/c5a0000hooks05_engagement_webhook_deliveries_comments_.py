"""engagement: webhook deliveries, comments, conversations, messages

Revision ID: c5a0000hooks05
Revises: c4a0000pub04
Create Date: 2026-12-02 01:11:12.271385

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import socializioz.models  # noqa: F401  (custom column types such as UTCDateTime)
import sqlmodel  # noqa: F401


# revision identifiers, used by Alembic.
revision: str = 'c5a0000hooks05'
down_revision: Union[str, Sequence[str], None] = 'c4a0000pub04'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Meta webhook deliveries, and the comments, conversations and messages they and polling bring."""
    op.create_table('webhookdelivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('body_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('body', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('received_at', socializioz.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('claimed_by', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('claimed_until', socializioz.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('processed_at', socializioz.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('webhookdelivery', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webhookdelivery_body_sha256'), ['body_sha256'], unique=True)
        batch_op.create_index(batch_op.f('ix_webhookdelivery_processed_at'), ['processed_at'], unique=False)

    op.create_table('conversation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('participant_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('external_id', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
    sa.Column('last_message_at', socializioz.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_inbound_at', socializioz.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('unread', sa.Integer(), nullable=False),
    sa.Column('assigned_to', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['socialaccount.id'], ),
    sa.ForeignKeyConstraint(['assigned_to'], ['user.id'], ),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('account_id', 'participant_id')
    )
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversation_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversation_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('engagementcomment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('external_id', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('post_external_id', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('parent_external_id', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
    sa.Column('author_external_id', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('author_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', socializioz.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('like_count', sa.Integer(), nullable=False),
    sa.Column('by_account', sa.Boolean(), nullable=False),
    sa.Column('updated_at', socializioz.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['socialaccount.id'], ),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('account_id', 'external_id')
    )
    with op.batch_alter_table('engagementcomment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_engagementcomment_account_id'), ['account_id'], unique=False)
        batch_op.create_index('ix_engagementcomment_ws_created', ['workspace_id', 'created_at'], unique=False)

    op.create_table('directmessage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('external_id', sqlmodel.sql.sqltypes.AutoString(length=512), nullable=False),
    sa.Column('inbound', sa.Boolean(), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('attachments', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('sent_at', socializioz.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversation.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('conversation_id', 'external_id')
    )
    with op.batch_alter_table('directmessage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_directmessage_conversation_id'), ['conversation_id'], unique=False)



def downgrade() -> None:
    """Drops what upgrade added."""
    with op.batch_alter_table('directmessage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_directmessage_conversation_id'))

    op.drop_table('directmessage')
    with op.batch_alter_table('engagementcomment', schema=None) as batch_op:
        batch_op.drop_index('ix_engagementcomment_ws_created')
        batch_op.drop_index(batch_op.f('ix_engagementcomment_account_id'))

    op.drop_table('engagementcomment')
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversation_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_conversation_account_id'))

    op.drop_table('conversation')
    with op.batch_alter_table('webhookdelivery', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webhookdelivery_processed_at'))
        batch_op.drop_index(batch_op.f('ix_webhookdelivery_body_sha256'))

    op.drop_table('webhookdelivery')
