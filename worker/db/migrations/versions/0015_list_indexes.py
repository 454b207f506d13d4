"""list indexes: one index per filter and sort order the API's paginated lists and reports offer

Revision ID: 0015
Revises: 0010
Create Date: 2026-11-30
"""

from alembic import op


revision = '0015'
down_revision = '0013'
branch_labels = None
depends_on = None

# (name, table, columns): each list query is `WHERE business_id = ? [AND filter] AND (key, id) > cursor
# ORDER BY key, id LIMIT n`, so each index leads with the scope and the filter and ends with the sort key.
INDEXES = (
    ('ix_invoices_business_id_id', 'invoices', ['business_id', 'id']),
    ('ix_invoices_business_status_id', 'invoices', ['business_id', 'status', 'id']),
    ('ix_invoices_business_debtor_id', 'invoices', ['business_id', 'debtor_id', 'id']),
    ('ix_invoices_business_due_id', 'invoices', ['business_id', 'due_date', 'id']),
    # The ageing report reads only these columns: summed from the index alone, the table is not visited.
    ('ix_invoices_ageing', 'invoices',
     ['business_id', 'status', 'due_date', 'currency', 'amount_due', 'amount_paid', 'debtor_id']),
    ('ix_debtors_business_id_id', 'debtors', ['business_id', 'id']),
    ('ix_timeline_events_business_kind_at', 'timeline_events', ['business_id', 'kind', 'at', 'id']),
    ('ix_timeline_events_invoice_at', 'timeline_events', ['invoice_id', 'at', 'id']),
    ('ix_inbound_messages_business_status_id', 'inbound_messages', ['business_id', 'status', 'id']),
    ('ix_outbound_messages_business_status_id', 'outbound_messages', ['business_id', 'status', 'id']),
    ('ix_bank_statements_business_id_id', 'bank_statements', ['business_id', 'id']),
    ('ix_bank_transactions_business_status_date', 'bank_transactions',
     ['business_id', 'status', 'booking_date', 'id']),
    ('ix_bank_transactions_statement_id_id', 'bank_transactions', ['statement_id', 'id']),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
