"""trust boundary: retired ingest addresses

Revision ID: 0006
Revises: 0004
Create Date: 2026-11-30
"""

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (not a batch table copy): SQLite cannot drop `businesses` while others refer to it.
    op.add_column('businesses', sa.Column('retired_ingest_addresses', sa.JSON(), nullable=False,
                                          server_default=sa.text("'[]'")))


def downgrade() -> None:
    with op.batch_alter_table('businesses', schema=None) as batch_op:
        batch_op.drop_column('retired_ingest_addresses')
