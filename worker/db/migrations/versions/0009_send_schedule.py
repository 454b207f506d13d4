"""send schedule: when an outbox row is next tried, and when its failure was told to the business

Revision ID: 0009
Revises: 0011
Create Date: 2026-11-30
"""

from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (not a batch copy): SQLite cannot drop a table others refer to with foreign keys on.
    op.add_column('outbound_messages', sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('outbound_messages', sa.Column('escalated_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index('ix_outbound_messages_next_attempt_at', 'outbound_messages', ['next_attempt_at'])


def downgrade() -> None:
    op.drop_index('ix_outbound_messages_next_attempt_at', 'outbound_messages')
    with op.batch_alter_table('outbound_messages', schema=None) as batch_op:
        batch_op.drop_column('escalated_at')
        batch_op.drop_column('next_attempt_at')
