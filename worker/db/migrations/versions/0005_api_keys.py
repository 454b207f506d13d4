"""api keys: several per business, listed by prefix, revocable

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-30

Each business's existing key hash moves into api_keys (label "initial") so the keys in use keep working.
Their prefix is unknown (only the hash was stored); it is filled in the first time the key is used.
"""

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('api_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('business_id', sa.Integer(), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=True),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['business_id'], ['businesses.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key_hash'),
    sa.UniqueConstraint('prefix')
    )
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_keys_business_id'), ['business_id'], unique=False)
    op.execute("INSERT INTO api_keys (business_id, prefix, key_hash, label, created_at) "
               "SELECT id, NULL, api_key_hash, 'initial', created_at FROM businesses")
    with op.batch_alter_table('businesses', schema=None) as batch_op:
        batch_op.drop_column('api_key_hash')


def downgrade() -> None:
    # The old schema holds one key per business: keep its oldest key that is still valid.
    with op.batch_alter_table('businesses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('api_key_hash', sa.String(length=64), nullable=True))
    op.execute("UPDATE businesses SET api_key_hash = (SELECT k.key_hash FROM api_keys k "
               "WHERE k.business_id = businesses.id AND k.revoked_at IS NULL ORDER BY k.id LIMIT 1)")
    with op.batch_alter_table('businesses', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_businesses_api_key_hash', ['api_key_hash'])
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_keys_business_id'))
    op.drop_table('api_keys')
