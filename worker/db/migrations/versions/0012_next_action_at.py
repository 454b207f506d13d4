"""next_action_at: the moment the tick must look at an invoice again, indexed, so a tick costs what is due

Revision ID: 0012
Revises: 0010
Create Date: 2026-11-30
"""

from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0010'
branch_labels = None
depends_on = None

RECOMPUTE = datetime(1970, 1, 1, tzinfo=UTC)  # worker.db.models.RECOMPUTE: "decide again now"


def upgrade() -> None:
    op.add_column('invoices', sa.Column('next_action_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index('ix_invoices_next_action_at', 'invoices', ['next_action_at'])
    # What else the tick reads every time, so that it stays cheap as rows pile up: a debtor's last message (the
    # minimum gap), the last summary of unproven mail and the quarantined messages since.
    op.create_index('ix_outbound_messages_debtor_id', 'outbound_messages', ['debtor_id'])
    op.create_index('ix_inbound_messages_business_status_kind', 'inbound_messages', ['business_id', 'status', 'kind'])
    op.create_table(
        'next_action_wakes',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('invoice_id', sa.Integer(), nullable=True),
        sa.Column('debtor_id', sa.Integer(), nullable=True),
        sa.Column('business_id', sa.Integer(), nullable=True),
    )
    # Every invoice something can still happen to is decided again by the next tick, which sets its real moment.
    invoices = sa.table('invoices', sa.column('status', sa.String()),
                        sa.column('next_action_at', sa.DateTime(timezone=True)))
    op.get_bind().execute(invoices.update().where(invoices.c.status.in_(('open', 'paid')))
                          .values(next_action_at=RECOMPUTE))


def downgrade() -> None:
    op.drop_table('next_action_wakes')
    op.drop_index('ix_inbound_messages_business_status_kind', 'inbound_messages')
    op.drop_index('ix_outbound_messages_debtor_id', 'outbound_messages')
    op.drop_index('ix_invoices_next_action_at', 'invoices')
    op.drop_column('invoices', 'next_action_at')
