"""contract_prices: a contract's own price list of exam services; calculation lines priced by it (PRO-7)

Revision ID: 3e8a5d1c7f42
Revises: 7c1f4e2a9b30
Create Date: 2026-12-06 09:10:00.000000+00:00

Saved calculation lines keep their prices: a line that has one is marked as priced by the line
itself (`price_source = 'line'`); no saved calculation is repriced.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import clinic_shared.db


# revision identifiers, used by Alembic.
revision: str = '3e8a5d1c7f42'
down_revision: str | None = '7c1f4e2a9b30'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('contract_prices',
    sa.Column('id', clinic_shared.db.GUID(length=36), nullable=False),
    sa.Column('contract_id', clinic_shared.db.GUID(length=36), nullable=False),
    sa.Column('code', sa.String(length=50), nullable=False),
    sa.Column('code_key', sa.String(length=200), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('name_norm', sa.String(length=300), nullable=False),
    sa.Column('service_group', sa.String(length=200), nullable=True),
    sa.Column('price', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('created_at', clinic_shared.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', clinic_shared.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_contract_prices_contract_id_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_prices')),
    sa.UniqueConstraint('contract_id', 'code_key', name=op.f('uq_contract_prices_contract_id_code_key'))
    )
    with op.batch_alter_table('contract_prices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_prices_contract_id'), ['contract_id'], unique=False)

    # Nullable columns: SQLite adds them in place.
    with op.batch_alter_table('calculation_positions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('service_code', sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column('price_source', sa.String(length=10), nullable=True))

    with op.batch_alter_table('calculations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contract_id', clinic_shared.db.GUID(length=36), nullable=True))

    op.execute("UPDATE calculation_positions SET price_source = 'line' WHERE price IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table('calculations', schema=None) as batch_op:
        batch_op.drop_column('contract_id')

    with op.batch_alter_table('calculation_positions', schema=None) as batch_op:
        batch_op.drop_column('price_source')
        batch_op.drop_column('service_code')

    with op.batch_alter_table('contract_prices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_prices_contract_id'))

    op.drop_table('contract_prices')
