"""bank statements: imports, statement lines, and the payments they became

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

MONEY = sa.Numeric(14, 2)


def upgrade() -> None:
    op.create_table(
        'bank_statements',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('business_id', sa.Integer(), sa.ForeignKey('businesses.id'), nullable=False),
        sa.Column('filename', sa.String(300), nullable=True),
        sa.Column('format', sa.String(20), nullable=False),
        sa.Column('account_iban', sa.String(34), nullable=True),
        sa.Column('source', sa.String(10), nullable=False),
        sa.Column('inbound_message_id', sa.Integer(), sa.ForeignKey('inbound_messages.id'), nullable=True),
        sa.Column('transactions', sa.Integer(), nullable=False),
        sa.Column('credits', sa.Integer(), nullable=False),
        sa.Column('matched', sa.Integer(), nullable=False),
        sa.Column('review', sa.Integer(), nullable=False),
        sa.Column('duplicates', sa.Integer(), nullable=False),
        sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index('ix_bank_statements_business_id', 'bank_statements', ['business_id'])
    op.create_table(
        'bank_transactions',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('business_id', sa.Integer(), sa.ForeignKey('businesses.id'), nullable=False),
        sa.Column('statement_id', sa.Integer(), sa.ForeignKey('bank_statements.id'), nullable=False),
        sa.Column('dedup_key', sa.String(64), nullable=False),
        sa.Column('account_iban', sa.String(34), nullable=True),
        sa.Column('booking_date', sa.Date(), nullable=False),
        sa.Column('amount', MONEY, nullable=False),
        sa.Column('currency', sa.String(3), nullable=False),
        sa.Column('credit', sa.Boolean(), nullable=False),
        sa.Column('reversal', sa.Boolean(), nullable=False),
        sa.Column('bank_reference', sa.String(200), nullable=True),
        sa.Column('end_to_end_id', sa.String(200), nullable=True),
        sa.Column('counterparty_name', sa.String(300), nullable=True),
        sa.Column('counterparty_iban', sa.String(34), nullable=True),
        sa.Column('remittance', sa.Text(), nullable=False),
        sa.Column('creditor_reference', sa.String(40), nullable=True),
        sa.Column('status', sa.String(20), nullable=False),
        sa.Column('rule', sa.String(30), nullable=True),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('candidates', sa.JSON(), nullable=False),
        sa.Column('debtor_id', sa.Integer(), sa.ForeignKey('debtors.id'), nullable=True),
        sa.Column('decided_by', sa.String(200), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint('business_id', 'dedup_key'),
    )
    op.create_index('ix_bank_transactions_business_id', 'bank_transactions', ['business_id'])
    op.create_index('ix_bank_transactions_statement_id', 'bank_transactions', ['statement_id'])
    op.create_index('ix_bank_transactions_status', 'bank_transactions', ['status'])
    op.create_index('ix_bank_transactions_counterparty_iban', 'bank_transactions', ['counterparty_iban'])
    op.create_table(
        'bank_allocations',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('bank_transaction_id', sa.Integer(), sa.ForeignKey('bank_transactions.id'), nullable=False),
        sa.Column('payment_id', sa.Integer(), sa.ForeignKey('payments.id'), nullable=False, unique=True),
        sa.Column('invoice_id', sa.Integer(), sa.ForeignKey('invoices.id'), nullable=False),
    )
    op.create_index('ix_bank_allocations_bank_transaction_id', 'bank_allocations', ['bank_transaction_id'])
    op.create_index('ix_bank_allocations_invoice_id', 'bank_allocations', ['invoice_id'])


def downgrade() -> None:
    op.drop_table('bank_allocations')
    op.drop_table('bank_transactions')
    op.drop_table('bank_statements')
