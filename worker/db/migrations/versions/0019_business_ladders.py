"""business ladders: a business's own ladder per segment and kind of debtor, as data

Revision ID: 0019
Revises: 0020
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa


revision = '0019'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'business_ladders',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('business_id', sa.Integer(), sa.ForeignKey('businesses.id'), nullable=False),
        sa.Column('segment', sa.String(30), nullable=False),
        sa.Column('debtor_kind', sa.String(10), nullable=False),
        sa.Column('steps', sa.JSON(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by', sa.String(200), nullable=False),
        sa.UniqueConstraint('business_id', 'segment', 'debtor_kind', name='uq_business_ladders_key'),
    )


def downgrade() -> None:
    op.drop_table('business_ladders')
