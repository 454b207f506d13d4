"""privacy: when a debtor was erased (GDPR art. 17), when an inbound message's raw bytes were purged

Revision ID: 0018
Revises: 0015
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('debtors', sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('inbound_messages', sa.Column('raw_purged_at', sa.DateTime(timezone=True), nullable=True))
    # The daily purge looks for messages not yet purged, oldest first: by this index, not a table scan.
    op.create_index('ix_inbound_messages_purge', 'inbound_messages', ['raw_purged_at', 'received_at'])
    # ...skipping the e-mails invoices arrived in (kept for the fiscal retention period) by this one.
    op.create_index('ix_invoices_source_message_id', 'invoices', ['source_message_id'])


def downgrade() -> None:
    op.drop_index('ix_invoices_source_message_id', table_name='invoices')
    op.drop_index('ix_inbound_messages_purge', table_name='inbound_messages')
    op.drop_column('inbound_messages', 'raw_purged_at')
    op.drop_column('debtors', 'erased_at')
