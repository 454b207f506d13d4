"""deferred render: the tick records the decision, a job renders the letter outside the tick's transaction

Revision ID: 0013
Revises: 0010
Create Date: 2026-11-30
"""

from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('outbound_messages', sa.Column('render_context', sa.JSON(), nullable=True))
    op.add_column('outbound_messages', sa.Column('rendered_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column('outbound_messages', 'rendered_at')
    op.drop_column('outbound_messages', 'render_context')
