"""imports and webhooks: invoice imports with their per-line results; webhook endpoints and their delivery outbox

Revision ID: 0020
Revises: 0018
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = '0020'
down_revision = '0018'
branch_labels = None
depends_on = None

_AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        'invoice_imports',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('business_id', sa.Integer, sa.ForeignKey('businesses.id'), nullable=False),
        sa.Column('filename', sa.String(300)),
        sa.Column('kind', sa.String(10), nullable=False),
        sa.Column('data', sa.LargeBinary, nullable=False),
        sa.Column('status', sa.String(20), nullable=False),
        sa.Column('total', sa.Integer, nullable=False, server_default='0'),
        sa.Column('done', sa.Integer, nullable=False, server_default='0'),
        sa.Column('imported', sa.Integer, nullable=False, server_default='0'),
        sa.Column('duplicates', sa.Integer, nullable=False, server_default='0'),
        sa.Column('refused', sa.Integer, nullable=False, server_default='0'),
        sa.Column('error', sa.Text),
        sa.Column('who', sa.String(200), nullable=False),
        sa.Column('created_at', _AT, nullable=False),
        sa.Column('finished_at', _AT),
    )
    op.create_index('ix_invoice_imports_business_id_id', 'invoice_imports', ['business_id', 'id'])
    op.create_table(
        'invoice_import_lines',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('import_id', sa.Integer, sa.ForeignKey('invoice_imports.id'), nullable=False),
        sa.Column('line', sa.Integer, nullable=False),
        sa.Column('source', sa.String(300)),
        sa.Column('invoice_number', sa.String(100)),
        sa.Column('outcome', sa.String(20), nullable=False),
        sa.Column('reason', sa.Text),
        sa.Column('field', sa.String(60)),
        sa.Column('invoice_id', sa.Integer, sa.ForeignKey('invoices.id')),
        sa.UniqueConstraint('import_id', 'line'),
    )
    op.create_table(
        'webhooks',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('business_id', sa.Integer, sa.ForeignKey('businesses.id'), nullable=False),
        sa.Column('url', sa.String(2000), nullable=False),
        sa.Column('events', sa.JSON, nullable=False),
        sa.Column('secret', sa.String(100), nullable=False),
        sa.Column('description', sa.String(200)),
        sa.Column('created_by', sa.String(200), nullable=False),
        sa.Column('created_at', _AT, nullable=False),
        sa.Column('deleted_at', _AT),
    )
    op.create_index('ix_webhooks_business_id', 'webhooks', ['business_id', 'id'])
    op.create_table(
        'webhook_deliveries',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('webhook_id', sa.Integer, sa.ForeignKey('webhooks.id'), nullable=False),
        sa.Column('business_id', sa.Integer, sa.ForeignKey('businesses.id'), nullable=False),
        sa.Column('event', sa.String(40), nullable=False),
        sa.Column('event_id', sa.String(60), nullable=False),
        sa.Column('payload', sa.JSON, nullable=False),
        sa.Column('status', sa.String(20), nullable=False),
        sa.Column('attempts', sa.Integer, nullable=False, server_default='0'),
        sa.Column('next_attempt_at', _AT),
        sa.Column('claimed_at', _AT),
        sa.Column('last_status_code', sa.Integer),
        sa.Column('last_error', sa.Text),
        sa.Column('created_at', _AT, nullable=False),
        sa.Column('delivered_at', _AT),
    )
    op.create_index('ix_webhook_deliveries_webhook_id_id', 'webhook_deliveries', ['webhook_id', 'id'])
    op.create_index('ix_webhook_deliveries_status_next', 'webhook_deliveries', ['status', 'next_attempt_at'])


def downgrade() -> None:
    op.drop_table('webhook_deliveries')
    op.drop_table('webhooks')
    op.drop_table('invoice_import_lines')
    op.drop_table('invoice_imports')
