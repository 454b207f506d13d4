"""payments as immutable events; idempotency keys

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30

Every invoice that had a paid amount gets one payment row for it (paid on the date of its last
PaymentRecorded event, else the day it was received); a paid amount above the invoice amount is carried
over as that payment's credit, so the paid amount derived from the rows never exceeds the invoice.
"""

from datetime import UTC, date, datetime
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'payments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('business_id', sa.Integer(), nullable=False),
        sa.Column('invoice_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('reverses_id', sa.Integer(), nullable=True),
        sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column('credit', sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column('paid_on', sa.Date(), nullable=False),
        sa.Column('source', sa.String(length=20), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('who', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('amount > 0', name='payment_amount_positive'),
        sa.CheckConstraint('credit >= 0 AND credit <= amount', name='payment_credit_within_amount'),
        sa.CheckConstraint("kind IN ('payment', 'reversal')", name='payment_kind'),
        sa.ForeignKeyConstraint(['business_id'], ['businesses.id']),
        sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id']),
        sa.ForeignKeyConstraint(['reverses_id'], ['payments.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('reverses_id'),
    )
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payments_business_id'), ['business_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payments_invoice_id'), ['invoice_id'], unique=False)
    op.create_table(
        'idempotency_keys',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('business_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=255), nullable=False),
        sa.Column('request_hash', sa.String(length=64), nullable=False),
        sa.Column('status_code', sa.Integer(), nullable=False),
        sa.Column('response', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['business_id'], ['businesses.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('business_id', 'key'),
    )
    _carry_over_paid_amounts()


def _carry_over_paid_amounts() -> None:
    """One payment row per invoice with a paid amount, so the amount derived from rows equals what was shown."""
    bind = op.get_bind()
    invoices = sa.table('invoices', sa.column('id', sa.Integer), sa.column('business_id', sa.Integer),
                        sa.column('amount_due', sa.Numeric(14, 2)), sa.column('amount_paid', sa.Numeric(14, 2)),
                        sa.column('created_at', sa.DateTime(timezone=True)))
    events = sa.table('timeline_events', sa.column('id', sa.Integer), sa.column('invoice_id', sa.Integer),
                      sa.column('kind', sa.String), sa.column('data', sa.JSON))
    payments = sa.table('payments', sa.column('business_id', sa.Integer), sa.column('invoice_id', sa.Integer),
                        sa.column('kind', sa.String), sa.column('amount', sa.Numeric(14, 2)),
                        sa.column('credit', sa.Numeric(14, 2)), sa.column('paid_on', sa.Date),
                        sa.column('source', sa.String), sa.column('note', sa.Text), sa.column('who', sa.String),
                        sa.column('created_at', sa.DateTime(timezone=True)))
    now = datetime.now(UTC)
    rows = bind.execute(sa.select(invoices).where(invoices.c.amount_paid > 0).order_by(invoices.c.id)).all()
    for invoice in rows:
        paid = Decimal(invoice.amount_paid)
        due = Decimal(invoice.amount_due) if invoice.amount_due is not None else None
        credit = max(paid - due, Decimal(0)) if due is not None else Decimal(0)
        last = bind.execute(sa.select(events.c.data).where(
            events.c.invoice_id == invoice.id, events.c.kind == 'PaymentRecorded').order_by(events.c.id.desc())
        ).first()
        paid_on = date.fromisoformat(last.data['paid_on']) if last and last.data.get('paid_on') else None
        if paid_on is None:
            paid_on = invoice.created_at.date()
        bind.execute(payments.insert().values(
            business_id=invoice.business_id, invoice_id=invoice.id, kind='payment', amount=paid, credit=credit,
            paid_on=paid_on, source='api', note='carried over from the paid amount by migration 0004',
            who='migration', created_at=now))
        if credit > 0:
            bind.execute(invoices.update().where(invoices.c.id == invoice.id).values(amount_paid=paid - credit))


def downgrade() -> None:
    op.drop_table('idempotency_keys')
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payments_invoice_id'))
        batch_op.drop_index(batch_op.f('ix_payments_business_id'))
    op.drop_table('payments')
