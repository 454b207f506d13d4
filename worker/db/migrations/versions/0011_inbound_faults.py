"""inbound faults: retry state and content hash of inbound mail, coalesced notices to a business

Revision ID: 0011
Revises: 0005
Create Date: 2026-11-30
"""

import hashlib

from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (not a batch table copy): SQLite cannot drop a table that others refer to.
    op.add_column('inbound_messages', sa.Column('content_hash', sa.String(64), nullable=True))
    op.add_column('inbound_messages', sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
    op.add_column('inbound_messages', sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('inbound_messages', sa.Column('mailbox_uidvalidity', sa.BigInteger(), nullable=True))
    op.add_column('inbound_messages', sa.Column('same_message_id_as', sa.Integer(), nullable=True))
    op.create_index('ix_inbound_messages_content_hash', 'inbound_messages', ['content_hash'])
    op.create_index('ix_inbound_messages_next_attempt_at', 'inbound_messages', ['next_attempt_at'])
    # Earlier rows get their hash, so the same bytes delivered again are still recognised as stored.
    bind = op.get_bind()
    rows = sa.table('inbound_messages', sa.column('id', sa.Integer()), sa.column('raw', sa.LargeBinary()),
                    sa.column('content_hash', sa.String(64)))
    for row_id, raw in bind.execute(sa.select(rows.c.id, rows.c.raw)).all():
        bind.execute(rows.update().where(rows.c.id == row_id).values(
            content_hash=hashlib.sha256(bytes(raw or b'')).hexdigest()))
    op.create_table(
        'notice_items',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('business_id', sa.Integer(), sa.ForeignKey('businesses.id'), nullable=False),
        sa.Column('kind', sa.String(60), nullable=False),
        sa.Column('key', sa.String(300), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('inbound_message_id', sa.Integer(), sa.ForeignKey('inbound_messages.id'), nullable=True),
        sa.Column('invoice_id', sa.Integer(), sa.ForeignKey('invoices.id'), nullable=True),
        sa.Column('outbound_message_id', sa.Integer(), sa.ForeignKey('outbound_messages.id'), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint('business_id', 'key', name='uq_notice_items_business_key'),
    )
    op.create_index('ix_notice_items_business_kind', 'notice_items', ['business_id', 'kind'])
    op.create_index('ix_notice_items_outbound_message_id', 'notice_items', ['outbound_message_id'])


def downgrade() -> None:
    op.drop_table('notice_items')
    op.drop_index('ix_inbound_messages_next_attempt_at', 'inbound_messages')
    op.drop_index('ix_inbound_messages_content_hash', 'inbound_messages')
    with op.batch_alter_table('inbound_messages', schema=None) as batch_op:
        for column in ('same_message_id_as', 'mailbox_uidvalidity', 'next_attempt_at', 'attempts', 'content_hash'):
            batch_op.drop_column(column)
