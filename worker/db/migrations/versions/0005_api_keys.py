"""api keys: several per business, listed by prefix, revocable

Revision ID: 0005
Revises: 0008
Create Date: 2026-11-30

Each business's existing key hash is copied into api_keys (label "initial") so the keys in use keep working.
Their prefix is unknown (only the hash was stored); it is filled in the first time the key is used.
A downgrade leaves each business its oldest key that is not revoked (one key per business, as before), or an
unusable hash when all its keys are revoked, so no revoked key works again.
"""

import hashlib
import secrets

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0008'
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
    # businesses.api_key_hash stays: SQLite drops a UNIQUE column only by copying the table, and that copy
    # fails while foreign keys are on (they are, and cannot be switched off inside the migration's transaction).


def downgrade() -> None:
    bind = op.get_bind()
    for (business_id,) in bind.execute(sa.text("SELECT id FROM businesses")).all():
        valid = bind.execute(sa.text("SELECT key_hash FROM api_keys WHERE business_id = :b AND revoked_at IS NULL "
                                     "ORDER BY id LIMIT 1"), {"b": business_id}).scalar()
        bind.execute(sa.text("UPDATE businesses SET api_key_hash = :h WHERE id = :b"),
                     {"h": valid or hashlib.sha256(secrets.token_bytes(32)).hexdigest(), "b": business_id})
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_keys_business_id'))
    op.drop_table('api_keys')
