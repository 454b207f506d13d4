"""deliveries: the SMTP outcome per recipient, and the server's queue id of each sent message

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""

from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('outbound_messages', sa.Column('queue_id', sa.String(200), nullable=True))
    op.create_table(
        'outbound_deliveries',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('outbound_message_id', sa.Integer(), sa.ForeignKey('outbound_messages.id'), nullable=False),
        sa.Column('recipient', sa.String(320), nullable=False),
        sa.Column('role', sa.String(10), nullable=False),
        sa.Column('status', sa.String(20), nullable=False),
        sa.Column('code', sa.Integer(), nullable=True),
        sa.Column('reply', sa.Text(), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint('outbound_message_id', 'recipient'),
    )
    op.create_index('ix_outbound_deliveries_outbound_message_id', 'outbound_deliveries', ['outbound_message_id'])


def downgrade() -> None:
    op.drop_index('ix_outbound_deliveries_outbound_message_id', 'outbound_deliveries')
    op.drop_table('outbound_deliveries')
    op.drop_column('outbound_messages', 'queue_id')
