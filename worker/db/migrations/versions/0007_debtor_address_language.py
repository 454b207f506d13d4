"""debtor postal address, country and e-mail consent

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMNs (not a batch table copy): SQLite cannot drop `debtors` while invoices refer to it.
    op.add_column('debtors', sa.Column('address', sa.Text(), nullable=True))
    op.add_column('debtors', sa.Column('country', sa.String(length=2), nullable=True))
    op.add_column('debtors', sa.Column('email_consent', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('debtors', schema=None) as batch_op:
        batch_op.drop_column('email_consent')
        batch_op.drop_column('country')
        batch_op.drop_column('address')
